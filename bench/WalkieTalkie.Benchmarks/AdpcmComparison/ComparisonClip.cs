using System.Runtime.InteropServices;

namespace WalkieTalkie.Benchmarks.AdpcmComparison;

/// <summary>One clip of the comparison at one rate, with the raw file ffmpeg reads.</summary>
internal sealed record ComparisonClip(string Name, int Rate, short[] Samples, string RawPath)
{
    public double Seconds => (double)Samples.Length / Rate;

    /// <summary>
    /// The clips: espeak-ng speech (the sentence the codec tests use), the same speech after an Opus round trip at
    /// 24 kbit/s (what a phone's voice message is before the gateway encodes it), the test clips of sox tones, white
    /// noise and a full-scale square sweep, and the codec benchmark's synthetic speech-like signal.
    /// </summary>
    public static IEnumerable<ComparisonClip> Make(string folder, IReadOnlyCollection<string> names, IEnumerable<int> rates)
    {
        const string Sentence = "Hello, this is the walkie talkie. Can you hear me? Please come to the front desk, " +
                                "the delivery for aisle seven has arrived. Over.";
        string voice = Path.Combine(folder, "espeak.wav");
        string opus = Path.Combine(folder, "voice.opus");
        string opusDecoded = Path.Combine(folder, "voice-opus.wav");
        if (names.Contains("speech") || names.Contains("opus"))
        {
            CommandLine.Run("espeak-ng", "-w", voice, Sentence);
        }

        if (names.Contains("opus"))
        {
            string voice48 = Path.Combine(folder, "espeak-48k.wav");
            CommandLine.Run("sox", "-D", voice, "-r", "48000", voice48);
            CommandLine.Run("opusenc", "--quiet", "--bitrate", "24", voice48, opus);
            CommandLine.Run("opusdec", "--quiet", "--rate", "48000", opus, opusDecoded);
        }

        foreach (var rate in rates)
        {
            foreach (var name in names)
            {
                string raw = Path.Combine(folder, $"{name}-{rate}.raw");
                string[] format = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", rate.ToString()];
                switch (name)
                {
                    case "speech":
                        CommandLine.Run("sox", ["-D", voice, .. format, raw]);
                        break;
                    case "opus":
                        CommandLine.Run("sox", ["-D", opusDecoded, .. format, raw]);
                        break;
                    case "tones":
                        CommandLine.Run("sox", ["-D", "-R", "-n", .. format, raw, "synth", "3", "sine", "200-3500", "sine", "440", "vol", "0.4"]);
                        break;
                    case "noise":
                        CommandLine.Run("sox", ["-D", "-R", "-n", .. format, raw, "synth", "2", "whitenoise", "vol", "0.3"]);
                        break;
                    case "loud":
                        CommandLine.Run("sox", ["-D", "-R", "-n", .. format, raw, "synth", "1.5", "square", "150-900", "vol", "0.99"]);
                        break;
                    case "speechlike":
                        File.WriteAllBytes(raw, MemoryMarshal.AsBytes(SpeechLikeSignal.Generate(rate, rate * 8).AsSpan()).ToArray());
                        break;
                    default:
                        throw new ArgumentException($"unknown clip {name} (speech, opus, tones, noise, loud, speechlike)");
                }

                yield return new ComparisonClip(name, rate, MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(raw)).ToArray(), raw);
            }
        }
    }
}
