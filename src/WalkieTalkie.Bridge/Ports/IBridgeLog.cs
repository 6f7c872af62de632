namespace WalkieTalkie.Bridge.Ports;

/// <summary>Where the bridge says what it did not do and why.</summary>
public interface IBridgeLog
{
    /// <summary>Writes one line.</summary>
    void Write(BridgeLogLevel level, string message);
}

/// <summary>Severity of a bridge log line.</summary>
public enum BridgeLogLevel
{
    /// <summary>Routine: skipped silence, ignored messages.</summary>
    Debug,

    /// <summary>Worth knowing: refused audio, refused state events.</summary>
    Info,

    /// <summary>Something is wrong or waits: a homeserver away, unusable audio.</summary>
    Warning,
}
