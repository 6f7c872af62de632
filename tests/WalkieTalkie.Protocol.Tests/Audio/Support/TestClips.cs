namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>One generated test signal.</summary>
public sealed record Clip(string Name, int Rate, short[] Samples, string RawPath)
{
    public override string ToString() => $"{Name}@{Rate}";
}

/// <summary>
/// Test audio generated at run time by the real tools (no binary fixtures): espeak-ng speech and sox
/// tones and noise, at 8 and 16 kHz. Generated once per test run into a temp folder. Besides
/// <see cref="Names"/>, "opus" is the speech after an Opus round trip (opusenc at 24 kbit/s, opusdec at
/// 48 kHz): what a phone's voice message is when the gateway encodes it for the badges.
/// </summary>
public static class TestClips
{
    public static readonly int[] Rates = [8000, 16000];

    public static readonly string[] Names = ["speech", "tones", "noise", "loud"];

    private const string Sentence =
        "Hello, this is the walkie talkie. Can you hear me? Please come to the front desk, " +
        "the delivery for aisle seven has arrived. Over.";

    private static readonly TempFolder Folder = CreateFolder();
    private static readonly Lazy<Dictionary<string, Clip>> Clips = new(Generate);

    /// <summary>The clip of that name at that rate.</summary>
    public static Clip Get(string name, int rate) => Clips.Value[$"{name}@{rate}"];

    /// <summary>Every (name, rate) pair, for [MemberData].</summary>
    public static TheoryData<string, int> All()
    {
        var data = new TheoryData<string, int>();
        foreach (var rate in Rates)
        {
            foreach (var name in Names)
            {
                data.Add(name, rate);
            }
        }

        return data;
    }

    /// <summary>A scratch folder of the same lifetime as the clips.</summary>
    public static string Scratch(string name) => Folder.File($"{Guid.NewGuid():N}-{name}");

    private static TempFolder CreateFolder()
    {
        var folder = new TempFolder("clips");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return folder;
    }

    private static Dictionary<string, Clip> Generate()
    {
        string voice = Folder.File("espeak.wav");
        ExternalTool.Run("espeak-ng", "-w", voice, Sentence);

        string voice48 = Folder.File("espeak-48k.wav");
        string opus = Folder.File("voice.opus");
        string opusDecoded = Folder.File("voice-opus.wav");
        ExternalTool.Run("sox", "-D", voice, "-r", "48000", voice48);
        ExternalTool.Run("opusenc", "--quiet", "--bitrate", "24", voice48, opus);
        ExternalTool.Run("opusdec", "--quiet", "--rate", "48000", opus, opusDecoded);

        var clips = new Dictionary<string, Clip>();
        foreach (var rate in Rates)
        {
            Add(clips, "speech", rate, raw => ExternalTool.Run("sox", "-D", voice, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", rate.ToString(), raw));
            Add(clips, "opus", rate, raw => ExternalTool.Run("sox", "-D", opusDecoded, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", rate.ToString(), raw));
            Add(clips, "tones", rate, raw => Synth(raw, rate, "3", "sine", "200-3500", "sine", "440", "vol", "0.4"));
            Add(clips, "noise", rate, raw => Synth(raw, rate, "2", "whitenoise", "vol", "0.3"));
            // Full-scale square wave with a sweep: large steps, predictor clamping at both rails.
            Add(clips, "loud", rate, raw => Synth(raw, rate, "1.5", "square", "150-900", "vol", "0.99"));
        }

        return clips;
    }

    private static void Synth(string raw, int rate, params string[] synth) =>
        ExternalTool.Run("sox", ["-D", "-R", "-n", "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", rate.ToString(), raw, "synth", .. synth]);

    private static void Add(Dictionary<string, Clip> clips, string name, int rate, Action<string> make)
    {
        string raw = Folder.File($"{name}-{rate}.raw");
        make(raw);
        var samples = Pcm16.ReadRaw(raw);
        if (samples.Length < rate / 2)
        {
            throw new InvalidOperationException($"{name} at {rate} Hz came out too short: {samples.Length} samples");
        }

        clips[$"{name}@{rate}"] = new Clip(name, rate, samples, raw);
    }
}
