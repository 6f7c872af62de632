using WalkieTalkie.Fuzz.Targets;

namespace WalkieTalkie.Fuzz;

/// <summary>
/// Every fuzz target, by name. A new parser gets a <see cref="FuzzTarget"/> in Targets/ and a line here. Targets are
/// made only when asked for: under afl, instrumented code may run only after SharpFuzz has set up afl's shared
/// memory, and a target's constructor may already run some (a parser's buffers).
/// </summary>
public static class FuzzTargets
{
    private static readonly (string Name, Func<FuzzTarget> Create)[] All =
    [
        ("audio-frame", () => new AudioFrameTarget()),
        ("control", () => new ControlMessageTarget()),
        ("wav", () => new WavTarget()),
        ("ogg-opus", () => new OggOpusTarget()),
        ("opus-head", () => new OpusHeadTarget()),
        ("opus-tags", () => new OpusTagsTarget()),
        ("bridge-event", () => new BridgeEventTarget()),
        ("canonical-json", () => new CanonicalJsonTarget()),
        ("olm", () => new OlmMessageTarget()),
        ("megolm", () => new MegolmMessageTarget()),
        ("topic", () => new TopicTarget()),
        ("basic-credentials", () => new BasicCredentialsTarget()),
        ("web-frame", () => new WebFrameTarget()),
        ("mqtt-uplink", () => new MqttUplinkTarget()),
    ];

    /// <summary>The targets' names, as scripts/fuzz and the corpus folders use them.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(t => t.Name).ToList();

    /// <summary>A new instance of the target called <paramref name="name"/> (one instance serves one thread), or null.</summary>
    public static FuzzTarget? Create(string name) => All.FirstOrDefault(t => t.Name == name).Create?.Invoke();
}
