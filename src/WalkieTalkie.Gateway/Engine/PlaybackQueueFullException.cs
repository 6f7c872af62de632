namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// The channel already has as many voice messages waiting as it may: the message was not queued. Transient: the
/// bridge delivers the message again later (its caller retries what a port throws).
/// </summary>
public sealed class PlaybackQueueFullException(string message) : Exception(message);
