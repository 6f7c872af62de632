namespace WalkieTalkie.PowerModel;

/// <summary>The parameters file is missing, not JSON, or inconsistent; the message says what and where.</summary>
public sealed class PowerModelException(string message, Exception? inner = null) : Exception(message, inner);
