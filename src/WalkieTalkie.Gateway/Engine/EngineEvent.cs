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

/// <summary>Audio from outside the badges (a Matrix voice message) to play on a channel.</summary>
internal sealed record QueueAudioEvent(string Channel, IReadOnlyList<byte[]> Blocks, int SampleRate, string TalkerName, string? SenderUserId, TaskCompletionSource<uint> Done) : EngineEvent;

/// <summary>A voice message from a Matrix user's direct room with a badge: for that badge only, as a private burst.</summary>
internal sealed record PrivateAudioEvent(string BadgeId, byte Channel, IReadOnlyList<byte[]> Blocks, int SampleRate, Talker Talker,
    TaskCompletionSource<uint> Done) : EngineEvent;

/// <summary>A queued voice message that could not be kept on disk: it is not played.</summary>
internal sealed record DropQueuedAudioEvent(QueuedAudio Item) : EngineEvent;

internal sealed record ShutdownEvent(TaskCompletionSource Done) : EngineEvent;
