namespace WalkieTalkie.Gateway.Transports.WebSockets;

/// <summary>
/// What one browser's downlink may hold before its own audio is dropped (<paramref name="MaxQueuedAudioFrames"/>) or,
/// for control messages, which must not be lost, before its connection is closed (<paramref name="MaxQueuedControl"/>).
/// </summary>
public sealed record WebSocketLimits(int MaxQueuedAudioFrames, int MaxQueuedControl);
