namespace WalkieTalkie.Interop;

/// <summary>A JS peer command failed, timed out, or the process exited; the message carries the peer's error and
/// the tail of its stderr.</summary>
public sealed class JsPeerException(string message) : Exception(message);
