using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>
/// The storage the Matrix bridge works with, as ports: its own tables (links, the burst feed and index, threads, the
/// incoming queue, permit dates, the outbox map, direct rooms and the private replies they carry, the engine's reports handed over between gateways) and the gateway's stores it reads and writes (channels, permits, the
/// registry, recordings). Made once by the composition root, which picks the implementations, and handed to the
/// bridge and to the <c>walkie</c> link commands.
/// </summary>
public sealed record BridgeStores(
    IChannelStore Channels,
    IPermitStore Permits,
    IRegistryReader Registry,
    IRecordingIndex Recordings,
    IMatrixLinkStore Links,
    IBurstFeed Feed,
    IThreadStore Threads,
    IBurstIndex Index,
    IIncomingEventStore Incoming,
    IPermitChangeTimes PermitTimes,
    IOutboxMap OutboxMap,
    IDirectRoomStore DirectRooms,
    IDirectReplyFeed DirectReplies,
    IEngineReportStore EngineReports);
