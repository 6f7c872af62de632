using System.Runtime.InteropServices;

namespace WalkieTalkie.Media.Tests.Support;

/// <summary>Test audio generated at test time with espeak-ng and sox (nothing committed).</summary>
internal static class TestAudio
{
    public const string Sentence = "Hello, this is badge one. The quick brown fox jumps over the lazy dog. Can you hear me? Over.";

    /// <summary>espeak-ng's speech as a WAV file (22050 Hz mono), normalised to -3 dBFS peak.</summary>
    public static string SpeechWav(TempFolder folder, string text = Sentence)
    {
        string raw = folder.File("speech-raw.wav");
        string wav = folder.File("speech.wav");
        ExternalTool.Check("espeak-ng", "-w", raw, text);
        ExternalTool.Check("sox", "-D", raw, wav, "gain", "-n", "-3");
        return wav;
    }

    /// <summary>Converts any audio file sox reads to mono 16-bit PCM at <paramref name="rate"/> (sox's high-quality resampler).</summary>
    public static short[] Pcm(TempFolder folder, string input, int rate)
    {
        string raw = folder.File($"pcm-{Guid.NewGuid():N}.raw");
        ExternalTool.Check("sox", "-D", input, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", rate.ToString(), raw, "remix", "-");
        return ReadRaw(raw);
    }

    /// <summary>
    /// The speech as a WAV file at <paramref name="rate"/> with <paramref name="channels"/> channels; in stereo the right
    /// channel is the left one an octave down and quieter, so the two differ (as a phone's stereo would).
    /// </summary>
    public static string SpeechAt(TempFolder folder, int rate, int channels)
    {
        string speech = SpeechWav(folder);
        string wav = folder.File($"speech-{rate}-{channels}.wav");
        if (channels == 1)
        {
            ExternalTool.Check("sox", "-D", speech, "-r", rate.ToString(), wav);
        }
        else
        {
            string low = folder.File("speech-low.wav");
            ExternalTool.Check("sox", "-D", speech, low, "pitch", "-1200", "gain", "-6");
            ExternalTool.Check("sox", "-D", "-M", speech, low, "-r", rate.ToString(), wav);
        }

        return wav;
    }

    public static short[] Speech(TempFolder folder, int rate) => Pcm(folder, SpeechWav(folder), rate);

    public static short[] ReadRaw(string path) => MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(path)).ToArray();

    /// <summary>Writes mono 16-bit PCM as a WAV file with sox.</summary>
    public static string WriteWav(TempFolder folder, string name, short[] pcm, int rate, int channels = 1)
    {
        string raw = folder.File(name + ".raw");
        File.WriteAllBytes(raw, MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray());
        string wav = folder.File(name + ".wav");
        ExternalTool.Check("sox", "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", channels.ToString(), "-r", rate.ToString(), raw, wav);
        return wav;
    }

    /// <summary>A sine tone at <paramref name="amplitude"/> of full scale.</summary>
    public static short[] Tone(int rate, double hertz, double seconds, double amplitude)
    {
        var pcm = new short[(int)(rate * seconds)];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)Math.Round(amplitude * 32767 * Math.Sin(2 * Math.PI * hertz * i / rate));
        }

        return pcm;
    }
}
