using WalkieTalkie.Fuzz.Targets;

namespace WalkieTalkie.Fuzz;

/// <summary>Every fuzz target, by name. A new parser gets a <see cref="FuzzTarget"/> in Targets/ and a line here.</summary>
public static class FuzzTargets
{
    /// <summary>A fresh instance of each target (targets keep reusable buffers, so one instance serves one thread).</summary>
    public static IReadOnlyList<FuzzTarget> Create() =>
    [
        new AudioFrameTarget(),
        new ControlMessageTarget(),
        new WavTarget(),
        new OggOpusTarget(),
        new OpusHeadTarget(),
        new OpusTagsTarget(),
        new BridgeEventTarget(),
        new CanonicalJsonTarget(),
        new OlmMessageTarget(),
        new MegolmMessageTarget(),
        new TopicTarget(),
        new BasicCredentialsTarget(),
        // The web walkie's frames (the browser badge of the design brief) do not exist yet: when they do, their
        // parser gets a target here, e.g. new WebWalkieFrameTarget(), with its seeds from the web walkie's encoder.
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => Create().FirstOrDefault(t => t.Name == name);

    public static IReadOnlyList<string> Names => Create().Select(t => t.Name).ToList();
}
