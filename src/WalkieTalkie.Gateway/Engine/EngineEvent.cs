using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>Everything the engine reacts to, queued and handled one at a time on its loop.</summary>
internal abstract record EngineEvent;

/// <summary>A badge's message; <paramref name="ReceivedAt"/> is its Stopwatch timestamp when the transport handed it over.</summary>
internal sealed record UplinkEvent(string BadgeId, TopicKind Kind, byte[] Payload, long ReceivedAt) : EngineEvent;

internal sealed record ConnectedEvent(string BadgeId) : EngineEvent;

internal sealed record DisconnectedEvent(string BadgeId) : EngineEvent;

internal sealed record TickEvent : EngineEvent;

internal sealed record ReloadEvent(RegistrySnapshot Registry) : EngineEvent;

/// <summary>Audio from outside the badges (a Matrix voice message, <paramref name="EventId"/> its room event) to play on a channel.</summary>
internal sealed record QueueAudioEvent(string Channel, IReadOnlyList<byte[]> Blocks, int SampleRate, string TalkerName, string? SenderUserId, string? EventId,
    TaskCompletionSource<uint> Done) : EngineEvent;

/// <summary>A voice message from a Matrix user's direct room with a badge: for that badge only, as a private burst.</summary>
internal sealed record PrivateAudioEvent(string BadgeId, byte Channel, IReadOnlyList<byte[]> Blocks, int SampleRate, Talker Talker,
    TaskCompletionSource<uint> Done) : EngineEvent;

/// <summary>A queued voice message that could not be kept on disk: it is not played.</summary>
internal sealed record DropQueuedAudioEvent(QueuedAudio Item) : EngineEvent;

/// <summary>Voice messages found waiting on disk for the floors of channels this gateway owns (handed over by the bridge's gateway).</summary>
internal sealed record FoundQueuedAudioEvent(List<QueuedMessageFile> Messages) : EngineEvent;

/// <summary>
/// A burst starts at another site of the channel's room (<paramref name="SiteBurstId"/>: its id there); a voice message
/// from Matrix that site plays names its room event (<paramref name="EventId"/>).
/// </summary>
internal sealed record RemoteBurstStartEvent(string Site, uint SiteBurstId, byte Channel, string TalkerName, int SampleRate, string? EventId = null) : EngineEvent;

/// <summary>A frame of a burst at another site, as its talker sent it (its header names that site's channel and burst).</summary>
internal sealed record RemoteFrameEvent(string Site, byte[] Payload) : EngineEvent;

internal sealed record RemoteBurstEndEvent(string Site, uint SiteBurstId) : EngineEvent;

/// <summary>The link to another site is gone: its bursts end here.</summary>
internal sealed record RemoteSiteGoneEvent(string Site) : EngineEvent;

internal sealed record ShutdownEvent(TaskCompletionSource Done) : EngineEvent;

/// <summary>What the live link between sites delivered (handled by <c>GatewayEngine.Sites</c>).</summary>
internal abstract record SiteEvent : EngineEvent;

internal sealed record SitePeerEvent(string RoomId, string PeerGatewayId, bool Up) : SiteEvent;

internal sealed record SiteMessageEvent(string PeerGatewayId, WalkieTalkie.Gateway.Sites.Floor.SiteFloorMessage Message) : SiteEvent;

/// <summary>A floor event of a shared room, read from the homeserver (handled by <c>GatewayEngine.RoomFloor</c>).</summary>
internal sealed record RoomFloorSeenEvent(string RoomId, WalkieTalkie.Gateway.Sites.Floor.RoomFloorEvent Event) : SiteEvent;
