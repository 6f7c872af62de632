using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Bridge.Channels;

/// <summary>Everything a <see cref="ChannelBridge"/> talks to; each is an adapter over another part of the gateway.</summary>
/// <param name="Feed">Finished bursts (gateway recorder).</param>
/// <param name="Silence">The silence test (media).</param>
/// <param name="Transcoder">Ogg Opus both ways (media).</param>
/// <param name="Media">Uploads and downloads (Matrix client and crypto).</param>
/// <param name="Sender">The persistent outbox (Matrix client).</param>
/// <param name="Player">Playback through the floor (gateway).</param>
/// <param name="Receipts">Read receipts (Matrix client).</param>
/// <param name="Permits">Badges and permit table (gateway).</param>
/// <param name="Threads">Walkie sessions (gateway store).</param>
/// <param name="Index">Burst to event links (gateway store).</param>
/// <param name="Log">Log lines.</param>
public sealed record BridgePorts(
    IBurstFeed Feed, ISilenceTest Silence, IVoiceTranscoder Transcoder, IMediaTransfer Media, IRoomSender Sender,
    IBadgePlayer Player, IReceiptSender Receipts, IPermitTable Permits, IThreadStore Threads, IBurstIndex Index, IBridgeLog Log);
