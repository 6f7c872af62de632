using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Media.Bursts;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>The media ports on WalkieTalkie.Media, with recordings as the recorder writes them (IMA ADPCM WAV).</summary>
public sealed class MediaVoiceTranscoderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-bridge-media-").FullName;
    private readonly MediaVoiceTranscoder _media = new(new RecordingReader(RecordingKey.Generate()));

    private FinishedBurst Burst(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return new FinishedBurst("playground", "kid", 1, DateTimeOffset.UnixEpoch, 0, false, path);
    }

    private static byte[] AdpcmWav(Func<int, double> amplitude, int rate = 8000, double seconds = 1.5)
    {
        var pcm = new short[(int)(rate * seconds)];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(amplitude(i) * Math.Sin(2 * Math.PI * 440 * i / rate));
        }

        return BadgeBurstEncoder.Encode(pcm, rate).ToWav();
    }

    [Fact]
    public async Task A_spoken_burst_is_not_silence_and_becomes_ogg_opus_with_duration_and_waveform_that_decodes_back()
    {
        var burst = Burst("tone.wav", AdpcmWav(_ => 8000));
        Assert.False(await _media.IsSilenceOnlyAsync(burst, default));
        var voice = await _media.EncodeAsync(burst, default);
        Assert.Equal("OggS"u8.ToArray(), voice.OggOpus[..4]);
        Assert.InRange(voice.DurationMs, 1450, 1550);
        Assert.Equal(100, voice.Waveform.Count);
        Assert.All(voice.Waveform, v => Assert.InRange(v, 0, 1024));
        Assert.Contains(voice.Waveform, v => v > 100);

        var back = await _media.DecodeAsync(voice.OggOpus, 16000, default);
        Assert.Equal(16000, back.SampleRate);
        Assert.InRange(back.DurationMs, 1400, 1600);
        Assert.NotEmpty(back.AdpcmBlocks);
    }

    [Fact]
    public async Task A_silent_burst_is_silence_only()
    {
        Assert.True(await _media.IsSilenceOnlyAsync(Burst("quiet.wav", AdpcmWav(_ => 3)), default));
    }

    [Fact]
    public async Task Garbage_and_vanished_recordings_are_unusable_never_retried()
    {
        var garbage = Burst("garbage.wav", "RIFF and then nothing a WAV reader wants"u8.ToArray());
        Assert.False(await _media.IsSilenceOnlyAsync(garbage, default)); // left to EncodeAsync, which says why (an unusable burst is skipped, a failing silence test would block)
        await Assert.ThrowsAsync<UnusableAudioException>(async () => await _media.EncodeAsync(garbage, default));

        var gone = garbage with { RecordingPath = Path.Combine(_folder, "gone.wav") };
        Assert.False(await _media.IsSilenceOnlyAsync(gone, default));
        await Assert.ThrowsAsync<UnusableAudioException>(async () => await _media.EncodeAsync(gone, default));
        await Assert.ThrowsAsync<UnusableAudioException>(async () => await _media.DecodeAsync("ID3 an mp3"u8.ToArray(), 8000, default));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
