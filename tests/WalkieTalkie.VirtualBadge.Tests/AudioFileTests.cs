using System.Diagnostics;
using WalkieTalkie.Badge.Simulation.Audio;

namespace WalkieTalkie.Badge.Simulation.Tests;

public class AudioFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-vb-audio-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static short[] Sine(int rate, double hertz, double seconds, double amplitude = 10_000)
    {
        var samples = new short[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * hertz * i / rate));
        }

        return samples;
    }

    /// <summary>The amplitude of <paramref name="hertz"/> in <paramref name="samples"/> (a single-bin DFT over the middle half).</summary>
    private static double Amplitude(short[] samples, int rate, double hertz)
    {
        var from = samples.Length / 4;
        var count = samples.Length / 2;
        double re = 0, im = 0;
        for (var i = from; i < from + count; i++)
        {
            re += samples[i] * Math.Cos(2 * Math.PI * hertz * i / rate);
            im += samples[i] * Math.Sin(2 * Math.PI * hertz * i / rate);
        }

        return 2 * Math.Sqrt(re * re + im * im) / count;
    }

    private static void Sox(params string[] arguments)
    {
        var start = new ProcessStartInfo("sox") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Assert.True(process.WaitForExit(20_000) && process.ExitCode == 0, process.StandardError.ReadToEnd());
    }

    [Theory]
    [InlineData(22050, 8000)]
    [InlineData(44100, 16000)]
    [InlineData(8000, 16000)]
    public void Resampling_keeps_a_tone_in_band_and_removes_one_above_the_new_nyquist(int from, int to)
    {
        var inBand = Sine(from, 1000, 1);
        var output = Resampler.Resample(inBand, from, to);
        Assert.Equal(to, output.Length);
        Assert.InRange(Amplitude(output, to, 1000), 9_500, 10_500);

        if (from > to)
        {
            // A tone the new rate cannot hold would alias down; the filter takes it out.
            var above = Sine(from, to * 0.6, 1);
            var aliased = Resampler.Resample(above, from, to);
            Assert.True(Amplitude(aliased, to, to * 0.4) < 200, $"alias at {Amplitude(aliased, to, to * 0.4):0}");
        }
    }

    [Fact]
    public void A_written_clip_reads_back_sample_for_sample()
    {
        var clip = new PcmClip(Sine(8000, 440, 0.5), 8000);
        var path = Path.Combine(_folder, "out.wav");
        clip.Save(path);
        var back = PcmClip.Load(path);
        Assert.Equal(8000, back.SampleRate);
        Assert.Equal(clip.Samples, back.Samples);
        Assert.Equal("PCM", back.Source);
    }

    [Fact]
    public void An_ima_adpcm_file_is_decoded_by_the_protocol_decoder()
    {
        var pcm = Path.Combine(_folder, "tone.wav");
        new PcmClip(Sine(8000, 440, 1), 8000).Save(pcm);
        var adpcm = Path.Combine(_folder, "tone-ima.wav");
        Sox(pcm, "-e", "ima-adpcm", adpcm);

        var clip = PcmClip.Load(adpcm);
        Assert.Equal("IMA ADPCM", clip.Source);
        Assert.InRange(clip.Samples.Length, 7_900, 8_100);
        Assert.InRange(Amplitude(clip.Samples, 8000, 440), 9_000, 11_000);
    }

    [Fact]
    public void A_stereo_file_goes_through_ffmpeg()
    {
        var mono = Path.Combine(_folder, "mono.wav");
        new PcmClip(Sine(22050, 440, 1), 22050).Save(mono);
        var stereo = Path.Combine(_folder, "stereo.wav");
        Sox(mono, "-c", "2", stereo);

        var clip = PcmClip.Load(stereo);
        Assert.Equal("ffmpeg", clip.Source);
        Assert.Equal(16000, clip.SampleRate);
        Assert.InRange(Amplitude(clip.Samples, 16000, 440), 9_000, 11_000);
    }

    [Fact]
    public void A_file_that_is_not_audio_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(_folder, "notes.wav");
        File.WriteAllText(path, "not a wave file at all");
        var error = Assert.Throws<VirtualBadgeException>(() => PcmClip.Load(path));
        Assert.Contains("notes.wav", error.Message);
        Assert.Throws<VirtualBadgeException>(() => PcmClip.Load(Path.Combine(_folder, "missing.wav")));
    }
}
