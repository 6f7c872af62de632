using System.Diagnostics;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Badge.Simulation.Audio;

/// <summary>Mono 16-bit PCM at a known rate, read from or written to a WAV file.</summary>
public sealed class PcmClip(short[] samples, int sampleRate)
{
    public short[] Samples { get; } = samples;

    public int SampleRate { get; } = sampleRate;

    public double Seconds => (double)Samples.Length / SampleRate;

    /// <summary>How the last <see cref="Load"/> read its file ("PCM", "IMA ADPCM" or "ffmpeg").</summary>
    public string Source { get; init; } = "PCM";

    /// <summary>This clip at <paramref name="rate"/> Hz.</summary>
    public PcmClip At(int rate) => rate == SampleRate ? this : new PcmClip(Resampler.Resample(Samples, SampleRate, rate), rate) { Source = Source };

    /// <summary>
    /// Reads a WAV file: mono 16-bit PCM or IMA ADPCM with the Protocol's reader and decoder; anything else (stereo,
    /// 24-bit, float, MP3, Ogg...) is converted to mono 16-bit PCM by ffmpeg when it is on the PATH.
    /// </summary>
    /// <exception cref="VirtualBadgeException">The file cannot be read or converted.</exception>
    public static PcmClip Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtualBadgeException($"{path}: {e.Message}", e);
        }

        var info = new WavInfo();
        var error = WavReader.Read(bytes, bytes.Length, info);
        if (error == WavError.Ok)
        {
            return info.IsImaAdpcm ? DecodeAdpcm(bytes, info) : ReadPcm(bytes, info);
        }

        var converted = TryFfmpeg(path);
        if (converted is not null)
        {
            return converted;
        }

        throw new VirtualBadgeException($"{path}: {WavError.Describe(error)}; not mono 16-bit PCM or IMA ADPCM, and ffmpeg (to convert it) is not installed");
    }

    /// <summary>Writes a mono 16-bit PCM WAV file.</summary>
    public void Save(string path)
    {
        var header = new byte[WavWriter.PcmHeaderBytes];
        var written = WavWriter.WritePcmHeader(header, 0, SampleRate, Samples.Length);
        if (written < 0)
        {
            throw new VirtualBadgeException($"{path}: {WavError.Describe(written)}");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var file = File.Create(path);
        file.Write(header);
        var data = new byte[Samples.Length * 2];
        Buffer.BlockCopy(Samples, 0, data, 0, data.Length); // little-endian on every platform .NET 10 runs on
        file.Write(data);
    }

    private static PcmClip ReadPcm(byte[] bytes, WavInfo info)
    {
        var samples = new short[info.DataLength / 2];
        Buffer.BlockCopy(bytes, info.DataOffset, samples, 0, samples.Length * 2);
        return new PcmClip(samples, info.SampleRate) { Source = "PCM" };
    }

    private static PcmClip DecodeAdpcm(byte[] bytes, WavInfo info)
    {
        var samples = new short[info.BlockCount * info.SamplesPerBlock];
        var count = 0;
        for (var block = 0; block < info.BlockCount; block++)
        {
            var decoded = ImaAdpcmDecoder.DecodeBlock(bytes, info.DataOffset + block * info.BlockAlign, info.BlockAlign, samples, count);
            if (decoded <= 0)
            {
                break;
            }

            count += decoded;
        }

        Array.Resize(ref samples, Math.Min(count, info.SampleCount > 0 ? info.SampleCount : count));
        return new PcmClip(samples, info.SampleRate) { Source = "IMA ADPCM" };
    }

    private static PcmClip? TryFfmpeg(string path)
    {
        const int rate = 16000;
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-v", "error", "-nostdin", "-i", path, "-ac", "1", "-ar", rate.ToString(), "-f", "s16le", "-acodec", "pcm_s16le", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var stderr = process.StandardError.ReadToEndAsync();
            using var pcm = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(pcm);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new VirtualBadgeException($"{path}: ffmpeg could not convert it: {stderr.Result.Trim()}");
            }

            var samples = new short[pcm.Length / 2];
            Buffer.BlockCopy(pcm.GetBuffer(), 0, samples, 0, samples.Length * 2);
            return new PcmClip(samples, rate) { Source = "ffmpeg" };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // ffmpeg is not installed
        }
    }
}
