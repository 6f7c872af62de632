using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// The floor across sites: a channel whose Matrix room other gateways serve too asks the arbiter before its badges
// talk, and stops its own burst when an earlier claim of another site wins. Without linked peers nothing here runs.
public sealed partial class GatewayEngine
{
    /// <summary>The remote claim holding a channel's floor here (a burst of another site), if any.</summary>
    internal SiteFloorClaim? RemoteFloorHolder(byte channel) =>
        _siteFloor is not null && _sites!.RoomOf(channel) is { } room ? _siteFloor.RemoteHolder(room) : null;

    internal SiteFloorArbiter? SiteFloor => _siteFloor;

    // The room of a channel whose floor is shared with other sites now; null for a channel this site has alone.
    private string? SharedRoom(byte channel) =>
        _siteFloor is not null && _sites!.RoomOf(channel) is { } room && _siteFloor.HasPeers(room) ? room : null;

    /// <summary>True when another site talks on the channel: a badge asking for it is refused as busy.</summary>
    private bool HeldByAnotherSite(byte channel, out SiteFloorClaim holder)
    {
        holder = null!;
        if (HeldInRoom(channel) is { } inRoom)
        {
            holder = inRoom;
            return true;
        }

        if (SharedRoom(channel) is not { } room || _siteFloor!.RemoteHolder(room) is not { } remote)
        {
            return false;
        }

        holder = remote;
        return true;
    }

    // A badge's press that another site's press beat by less than the collision window lost a race, so its wearer hears
    // the collision tone. The press counts from when it reached this gateway, not from when the engine came to it: a
    // loop that runs late must not turn a race into a turn. A phone's voice message is no press: a badge pressing into
    // one is told busy.
    private bool CrossedAnotherSitesPress(byte channel, SiteFloorClaim holder, long pressReceivedAt) =>
        !holder.Talker.StartsWith(Talker.MatrixPrefix, StringComparison.Ordinal)
        && _siteFloor is not null && _sites!.RoomOf(channel) is { } room
        && _siteFloor.RemoteHolder(room) == holder
        && _siteFloor.HeldByFreshClaim(room, (long)System.Diagnostics.Stopwatch.GetElapsedTime(pressReceivedAt).TotalMilliseconds);

    // Claimed even while no peer is linked: a peer that links later learns of the burst and the two agree. An emergency's
    // claim (SOS) preempts the other sites' talkers that are not emergencies.
    private async Task ClaimAcrossSitesAsync(byte channel, string talkerKey, string? talkerName, uint burstId, bool emergency = false)
    {
        if (_siteFloor is not null && _sites!.RoomOf(channel) is { } room)
        {
            _siteFloor!.ClaimLocal(room, burstId, talkerKey, talkerName, emergency);
            await ApplySiteFloorAsync();
        }
    }

    private async Task EndAcrossSitesAsync(byte channel, uint burstId)
    {
        if (_siteFloor is not null && _sites!.RoomOf(channel) is { } room)
        {
            _siteFloor.EndLocal(room, burstId);
            await ApplySiteFloorAsync();
        }
    }

    private async Task HandleSiteEventAsync(SiteEvent e)
    {
        switch (e)
        {
            case SitePeerEvent { Up: true } up:
                _siteFloor!.OnPeerUp(up.RoomId, up.PeerGatewayId);
                break;
            case SitePeerEvent down:
                _siteFloor!.OnPeerDown(down.RoomId, down.PeerGatewayId);
                break;
            case SiteMessageEvent message:
                _siteFloor!.OnMessage(message.PeerGatewayId, message.Message);
                break;
            case RoomFloorSeenEvent seen:
                await HandleRoomFloorAsync(seen);
                break;
        }

        await ApplySiteFloorAsync();
    }

    private async Task TickSitesAsync()
    {
        if (_siteFloor is not null)
        {
            _siteFloor.Tick();
            await ApplySiteFloorAsync();
        }
    }

    private async Task ApplySiteFloorAsync()
    {
        foreach (var output in _siteFloor!.TakeOutputs())
        {
            switch (output)
            {
                case SendToPeer send:
                    _sites!.Send(send.PeerGatewayId, send.Message);
                    break;
                case StopLocal stop when _sites!.ChannelOf(stop.RoomId) is { } channel:
                    // Lost to an earlier claim of another site: the talker hears the collision tone (floor-revoked). Lost to
                    // another site's SOS: ended as a local SOS ends it, preempted (talker and listeners told).
                    if (_floor.Holder(channel)?.BurstId == stop.BurstId
                        && _floor.Revoke(channel, stop.Preempted ? EndReason.Preempted : EndReason.Collision) is { } end)
                    {
                        await EndBurstAsync(end, null);
                    }

                    break;
                case RemoteHolds holds when _sites!.ChannelOf(holds.RoomId) is { } channel:
                    Decide(channel, RemoteKey(holds.Claim.GatewayId, holds.Claim.Talker), "remote", "holds the floor at " + holds.Claim.GatewayId, holds.Claim.BurstId);
                    break;
                case RemoteEnded ended when _sites!.ChannelOf(ended.RoomId) is { } channel:
                    Decide(channel, RemoteKey(ended.Claim.GatewayId, ended.Claim.Talker), "remote-ended", ended.Reason.ToString(), ended.Claim.BurstId);
                    // A remote burst that lost (or whose site is gone) stops playing here too; a released one ends anyway.
                    await HandleRemoteEndAsync(ended.Claim.GatewayId, ended.Claim.BurstId);
                    break;
                case SiteCollision collision when _sites!.ChannelOf(collision.RoomId) is { } channel && !DecidedInRoom(collision):
                    var local = collision.Winner.GatewayId == _sites.OwnGatewayId ? collision.Winner : collision.Loser;
                    var preempted = collision.Winner.Emergency && !collision.Loser.Emergency;
                    Decide(channel, local.GatewayId == _sites.OwnGatewayId ? local.Talker : RemoteKey(local.GatewayId, local.Talker),
                        preempted ? "preempted" : "collision",
                        $"{RemoteKey(collision.Winner.GatewayId, collision.Winner.Talker)} {(preempted ? "(emergency) preempted" : "won over")} "
                        + RemoteKey(collision.Loser.GatewayId, collision.Loser.Talker)
                        + (collision.DuringPartition ? " while the sites were apart" : ""), local.BurstId);
                    break;
                case PeerClock clock when !clock.WithinBound:
                    _logger.LogWarning("Clock of gateway {Peer} is {Offset} ms off ours (± {Error} ms), beyond the bound: it wins or loses floor races by its clock",
                        clock.PeerGatewayId, clock.OffsetMs, clock.ErrorMs);
                    break;
                case PeerClock clock:
                    _logger.LogInformation("Clock of gateway {Peer} is {Offset} ms off ours (± {Error} ms)", clock.PeerGatewayId, clock.OffsetMs, clock.ErrorMs);
                    break;
            }
        }

        await StartWaitingRemoteBurstsAsync();
    }

    // How the floor log names a talker of another site: its gateway, then the talker as that gateway knows it.
    private static string RemoteKey(string gatewayId, string talker) => gatewayId + "/" + talker;

    /// <summary>Hands what the live link delivers to the engine's loop.</summary>
    private sealed class SiteInbox(GatewayEngine engine) : ISiteFloorInbox
    {
        public void OnPeerUp(string roomId, string peerGatewayId) => engine.Post(new SitePeerEvent(roomId, peerGatewayId, true));

        public void OnPeerDown(string roomId, string peerGatewayId) => engine.Post(new SitePeerEvent(roomId, peerGatewayId, false));

        public void OnMessage(string peerGatewayId, SiteFloorMessage message) => engine.Post(new SiteMessageEvent(peerGatewayId, message));
    }
}
