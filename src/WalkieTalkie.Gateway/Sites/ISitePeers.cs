using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Sites;

/// <summary>
/// What the floor across sites needs from the live links between gateways that serve one Matrix room. Rooms are
/// named by their Matrix room id because channel numbers are per gateway (one room may be channel 3 here and 7 there);
/// peers by their gateway id. The link implements it; tests use an in-memory one with a cuttable, delayed link.
/// The engine calls it from its loop: every member must be safe to call from another thread than the link's.
/// </summary>
public interface ISitePeers
{
    /// <summary>This gateway's own id, as its peers know it (claims and tie-breaks carry it).</summary>
    string OwnGatewayId { get; }

    /// <summary>The Matrix room a channel of this gateway is linked to, or null when it is linked to none.</summary>
    string? RoomOf(byte channel);

    /// <summary>This gateway's channel for a Matrix room, or null when it serves no channel there.</summary>
    byte? ChannelOf(string roomId);

    /// <summary>The peer gateways linked now for the room; empty when this site is alone in it.</summary>
    IReadOnlyCollection<string> LinkedPeers(string roomId);

    /// <summary>
    /// Sends a floor message to one peer, in order after everything sent to it before (the link is a stream). Returns
    /// false when the peer is not linked (the message is dropped; the arbiter learns of it by <see cref="ISiteFloorInbox.OnPeerDown"/>).
    /// Never blocks and never throws.
    /// </summary>
    bool Send(string peerGatewayId, SiteFloorMessage message);

    /// <summary>Where the link delivers what arrives and who comes and goes. Set once, before the link starts.</summary>
    void Attach(ISiteFloorInbox inbox);
}

/// <summary>
/// The inbound side of <see cref="ISitePeers"/>: the link calls it from its own threads, so an implementation hands
/// each call to its owner's loop and returns at once.
/// </summary>
public interface ISiteFloorInbox
{
    /// <summary>A peer is linked for a room (first link, or again after a cut).</summary>
    void OnPeerUp(string roomId, string peerGatewayId);

    /// <summary>A peer is no longer linked for a room: its claims there are forgotten until it is back.</summary>
    void OnPeerDown(string roomId, string peerGatewayId);

    /// <summary>A floor message from a linked peer (already authenticated by the link as coming from that gateway).</summary>
    void OnMessage(string peerGatewayId, SiteFloorMessage message);
}
