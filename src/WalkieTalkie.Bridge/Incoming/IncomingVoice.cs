namespace WalkieTalkie.Bridge.Incoming;

/// <summary>A voice message from the room to play on the channel's badges.</summary>
/// <param name="EventId">The event (for the "heard by" receipts).</param>
/// <param name="Sender">Who sent it (badges may announce the name).</param>
/// <param name="Source">Where its file is.</param>
/// <param name="DurationMs">The duration the sender claims, or null.</param>
/// <param name="SentAt">The homeserver's timestamp.</param>
/// <param name="SenderDevice">The sending device, when the crypto established it.</param>
public sealed record IncomingVoice(string EventId, string Sender, VoiceSource Source, long? DurationMs, DateTimeOffset SentAt, string? SenderDevice = null);
