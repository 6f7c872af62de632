namespace WalkieTalkie.Bridge.Ports;

/// <summary>
/// Audio that no retry will fix (a corrupt recording, a file that is not Ogg Opus). Ports throw it to say
/// "skip this one"; any other exception means "try again later".
/// </summary>
public sealed class UnusableAudioException(string message, Exception? inner = null) : Exception(message, inner);
