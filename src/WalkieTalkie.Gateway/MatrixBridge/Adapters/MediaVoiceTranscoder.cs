using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Media;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Levels;
using WalkieTalkie.Media.VoiceMessages;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// <see cref="IVoiceTranscoder"/> and <see cref="ISilenceTest"/> on <c>WalkieTalkie.Media</c>: a finished burst's
/// recording (opened by the <see cref="RecordingReader"/>, as a WAV) to Ogg Opus (managed Concentus), and Ogg Opus to
/// the channel's ADPCM. Bad bytes and a vanished recording are <see cref="UnusableAudioException"/> (no retry fixes
/// them); anything else is left to the caller's retry.
/// </summary>
public sealed class MediaVoiceTranscoder(RecordingReader recordings) : IVoiceTranscoder, ISilenceTest
{
    /// <inheritdoc />
    public async ValueTask<bool> IsSilenceOnlyAsync(FinishedBurst burst, CancellationToken cancellationToken)
    {
        // A recording that cannot be read is "not silence" here: the bridge skips only what EncodeAsync calls
        // unusable (a failing silence test would block the channel), and EncodeAsync says why.
        try
        {
            var audio = BurstWavReader.Read(await ReadRecordingAsync(burst, cancellationToken));
            return BurstLevel.IsSilence(audio.Samples, audio.SampleRate);
        }
        catch (Exception e) when (e is MediaFormatException or UnusableAudioException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<EncodedVoice> EncodeAsync(FinishedBurst burst, CancellationToken cancellationToken)
    {
        var wav = await ReadRecordingAsync(burst, cancellationToken);
        try
        {
            var voice = VoiceMessageEncoder.FromBurstWav(wav);
            return new EncodedVoice(voice.File, voice.DurationMilliseconds, voice.Waveform);
        }
        catch (MediaFormatException e)
        {
            throw new UnusableAudioException($"recording {burst.RecordingPath}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public ValueTask<ChannelAudio> DecodeAsync(byte[] oggOpus, int sampleRate, CancellationToken cancellationToken)
    {
        try
        {
            var burst = VoiceMessageDecoder.ToBadgeBurst(oggOpus, sampleRate);
            return ValueTask.FromResult(new ChannelAudio(burst.SampleRate, burst.Blocks, burst.DurationMilliseconds));
        }
        catch (MediaFormatException e)
        {
            throw new UnusableAudioException(e.Message, e);
        }
    }

    private async Task<byte[]> ReadRecordingAsync(FinishedBurst burst, CancellationToken cancellationToken)
    {
        byte[] file;
        try
        {
            file = await File.ReadAllBytesAsync(burst.RecordingPath, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UnusableAudioException($"recording {burst.RecordingPath} is gone", e);
        }

        try
        {
            return recordings.Read(file).ToWav();
        }
        catch (InvalidDataException e)
        {
            throw new UnusableAudioException($"recording {burst.RecordingPath}: {e.Message}", e);
        }
    }
}
