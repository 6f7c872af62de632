using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Protocol.Control;
using SiteRoom = WalkieTalkie.Gateway.Sites.Discovery.SiteRoom;

namespace WalkieTalkie.Gateway.Sites.FloorRecord;

/// <summary>
/// Writes the floor state event (<c>org.matrix.msc4002.floor</c>) of the rooms this gateway shares with others: a claim
/// when a badge here is granted the floor in a room where another gateway is announced, its release when the burst
/// ends. As an engine observer it only queues (the engine never waits for the homeserver); <see cref="RunAsync"/> sends
/// the queue in order, so each room's events go out in the order the engine decided them.
/// <para>
/// A claim that cannot be sent is dropped, logged once until a send works again, and so is one whose burst ended before
/// it could go out: sent late it would carry a later <c>origin_server_ts</c> than the grant and misstate the order of the
/// floor (the live link or the lease covers the gap). A release that cannot be sent is tried again until its claim's lease has passed (after that the lease ends the
/// claim anyway): without it the other sites would refuse their badges as busy until the lease runs out.
/// </para>
/// </summary>
public sealed class RoomFloorPublisher(ISiteMatrix matrix, RoomGateways gateways, GatewayIdentity identity, CurrentRegistry registry,
    BridgeStores stores, TimeProvider time, ILogger<RoomFloorPublisher> logger) : IGatewayObserver
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    // Touched only on the engine's thread (the observer calls): the bursts whose claim is queued or sent.
    private readonly Dictionary<(byte Channel, uint BurstId), Claim> _open = [];

    private bool _failing;

    public void OnBurstStarted(BurstInfo burst)
    {
        if (!burst.Talker.IsBadge || gateways.RoomOf(burst.Channel) is not { } room || !gateways.IsShared(room.RoomId, identity.Id))
        {
            return;
        }

        var talkLimit = registry.Snapshot.Channel(burst.Channel)?.MaxTalkSeconds ?? 0;
        var claim = new Claim(room, burst.BurstId, burst.Talker.Name, (burst.StartedAt + TimeSpan.FromSeconds(talkLimit)).ToUnixTimeMilliseconds(), burst.Sos);
        _open[(burst.Channel, burst.BurstId)] = claim;
        _queue.Writer.TryWrite(claim);
    }

    public void OnBurstEnded(BurstInfo burst, EndReason reason)
    {
        if (_open.Remove((burst.Channel, burst.BurstId), out var claim))
        {
            claim.Ended = true;
            _queue.Writer.TryWrite(new Release(claim, time.GetUtcNow().ToUnixTimeMilliseconds()));
        }
    }

    /// <summary>Sends what the engine queued until <paramref name="cancellationToken"/> stops it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                await SendAsync(pending, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(Pending pending, CancellationToken cancellationToken)
    {
        var claim = pending switch
        {
            Claim c => c,
            Release r => r.Claim,
            _ => throw new ArgumentOutOfRangeException(nameof(pending)),
        };
        if (pending is Release && !claim.Sent)
        {
            return; // its claim never reached the room
        }

        if (pending is Claim && claim.Ended)
        {
            return; // the queue waited on the homeserver longer than the burst lasted: a claim now would cross claims it never met
        }

        var retry = FirstRetry;
        while (true)
        {
            try
            {
                if (pending is Release release)
                {
                    await matrix.SendFloorAsync(claim.Room, RoomFloorContent.Release(claim.Content(identity.Id), release.ReleasedTs), cancellationToken);
                }
                else
                {
                    claim.Device = stores.Links.Badges().FirstOrDefault(b => b.BadgeId == claim.Talker);
                    await matrix.SendFloorAsync(claim.Room, RoomFloorContent.Claim(claim.Content(identity.Id)), cancellationToken);
                    claim.Sent = true;
                }

                if (_failing)
                {
                    _failing = false;
                    logger.LogInformation("The floor events reach the room again");
                }

                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (!_failing)
                {
                    _failing = true;
                    logger.LogWarning("Room {Room}: the floor event of burst {Burst} was not sent ({Error}); claims are dropped and releases tried again until the homeserver answers",
                        claim.Room.RoomId, claim.BurstId, e.Message);
                }

                if (pending is Claim || time.GetUtcNow().ToUnixTimeMilliseconds() >= claim.LeaseUntilTs)
                {
                    return;
                }

                await Task.Delay(retry, time, cancellationToken);
                retry = retry * 2 < LongestRetry ? retry * 2 : LongestRetry;
            }
        }
    }

    private abstract class Pending;

    /// <summary>A burst's claim; the Matrix account of its badge is looked up off the engine's thread, when it is sent.</summary>
    private sealed class Claim(SiteRoom room, uint burstId, string talker, long leaseUntilTs, bool emergency) : Pending
    {
        private bool _ended;

        public SiteRoom Room { get; } = room;

        public uint BurstId { get; } = burstId;

        public string Talker { get; } = talker;

        public long LeaseUntilTs { get; } = leaseUntilTs;

        /// <summary>An open emergency's burst (SOS): its claim wins over any that is not one.</summary>
        public bool Emergency { get; } = emergency;

        public BadgeLink? Device { get; set; }

        public bool Sent { get; set; }

        /// <summary>Set on the engine's thread when the burst ends, read by the sender.</summary>
        public bool Ended
        {
            get => Volatile.Read(ref _ended);
            set => Volatile.Write(ref _ended, value);
        }

        public RoomFloorContent.Burst Content(string gatewayId) => new(gatewayId, BurstId, Talker, Device?.UserId, Device?.DeviceId, LeaseUntilTs, Emergency);
    }

    private sealed class Release(Claim claim, long releasedTs) : Pending
    {
        public Claim Claim { get; } = claim;

        public long ReleasedTs { get; } = releasedTs;
    }
}
