namespace WalkieTalkie.Badge.Simulation;

/// <summary>A virtual badge could not be set up: a bad setting, an unreadable WAV file, a script that does not parse.</summary>
public sealed class VirtualBadgeException(string message, Exception? inner = null) : Exception(message, inner);
