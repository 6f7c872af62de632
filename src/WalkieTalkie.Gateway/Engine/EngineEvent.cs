using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>Everything the engine reacts to, queued and handled one at a time on its loop.</summary>
internal abstract record EngineEvent;

/// <summary>A badge's message; <paramref name="ReceivedAt"/> is its Stopwatch timestamp when the broker handed it over.</summary>
internal sealed record UplinkEvent(string BadgeId, TopicKind Kind, byte[] Payload, long ReceivedAt) : EngineEvent;

internal sealed record ConnectedEvent(string BadgeId) : EngineEvent;

internal sealed record DisconnectedEvent(string BadgeId) : EngineEvent;

internal sealed record TickEvent : EngineEvent;

internal sealed record ReloadEvent(RegistrySnapshot Registry) : EngineEvent;

/// <summary>Audio from outside the badges (a Matrix voice message) to play on a channel.</summary>
internal sealed record QueueAudioEvent(string Channel, IReadOnlyList<byte[]> Blocks, int SampleRate, string TalkerName, TaskCompletionSource<uint> Done) : EngineEvent;

internal sealed record ShutdownEvent(TaskCompletionSource Done) : EngineEvent;
