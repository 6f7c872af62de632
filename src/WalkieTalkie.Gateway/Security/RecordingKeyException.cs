namespace WalkieTalkie.Gateway.Security;

/// <summary>The recording key cannot be used (sealed under another or a missing store key, damaged, lost); the message says what to do.</summary>
public sealed class RecordingKeyException(string message) : Exception(message);
