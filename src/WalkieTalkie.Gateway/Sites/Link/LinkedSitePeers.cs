using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary><see cref="ISitePeers"/> over the live links: the rooms from discovery, the peers and the sending from <see cref="SiteLinks"/>.</summary>
public sealed class LinkedSitePeers(SiteLinks links, RoomGateways gateways, GatewayIdentity identity) : ISitePeers
{
    public string OwnGatewayId => identity.Id;

    public string? RoomOf(byte channel) => gateways.RoomOf(channel)?.RoomId;

    public byte? ChannelOf(string roomId) => gateways.Room(roomId)?.Channel;

    public IReadOnlyCollection<string> LinkedPeers(string roomId) =>
        links.Peers.Where(p => p.RoomIds.Contains(roomId)).Select(p => p.GatewayId).ToArray();

    public bool Send(string peerGatewayId, SiteFloorMessage message) => links.SendFloor(peerGatewayId, message);

    public void Attach(ISiteFloorInbox inbox) => links.FloorInbox = inbox;
}
