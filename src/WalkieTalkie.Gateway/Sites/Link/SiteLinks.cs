using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>
/// The live links to the other gateways, whichever side dialed: what a badge here says in a shared room goes to them as
/// it happens (an observer of the engine: a burst's start, each frame unchanged, its end), and what they send is played
/// here as a remote burst (<see cref="GatewayEngine.StartRemoteBurst"/>). A peer that breaks the protocol (a message
/// that does not parse, a room it was not accepted for, a frame of a burst it never started) is told why and
/// disconnected, and logged once (<see cref="LinkRefusals"/>).
/// </summary>
public sealed class SiteLinks(RoomGateways gateways, CurrentRegistry registry, LinkRefusals refusals, ILogger<SiteLinks> logger) : IGatewayObserver
{
    private readonly ConcurrentDictionary<string, PeerLink> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<(byte Channel, uint BurstId), PeerLink[]> _relaying = new();
    private GatewayEngine? _engine;

    /// <summary>The gateways linked now.</summary>
    public IReadOnlyCollection<PeerLink> Peers => _peers.Values.ToArray();

    /// <summary>Raised when a peer's link comes up or goes down (with its id).</summary>
    public event Action<string, bool>? PeerChanged;

    /// <summary>Where floor messages and peers coming and going go (the floor across sites); none until attached.</summary>
    public ISiteFloorInbox? FloorInbox { get; set; }

    /// <summary>Sends a floor message to a linked peer; false when it is not linked.</summary>
    public bool SendFloor(string peerGatewayId, SiteFloorMessage message) =>
        _peers.TryGetValue(peerGatewayId, out var peer) && peer.Connection.EnqueueText(SiteFloorWire.Encode(message));

    /// <summary>The engine that plays what the peers send.</summary>
    public void Start(GatewayEngine engine) => _engine = engine;

    public bool IsLinked(string gatewayId) => _peers.ContainsKey(gatewayId);

    /// <summary>
    /// Serves an established (hand-shaken) link until it closes: replaces an older link to the same peer, reads what the
    /// peer sends, and at the end ends the peer's bursts here.
    /// </summary>
    public async Task RunPeerAsync(PeerLink peer, CancellationToken cancellationToken)
    {
        var engine = _engine ?? throw new InvalidOperationException("the site links have not started");
        PeerLink? previous = null;
        _peers.AddOrUpdate(peer.GatewayId, peer, (_, old) =>
        {
            previous = old;
            return peer;
        });
        if (previous is not null)
        {
            // The peer linked again while this side still held its old link (the peer's end dropped without a word reaching
            // here): what the old link said is over, as if it had gone down first, so nothing of it outlives it here.
            previous.Connection.Close();
            await previous.Served.Task;
            Gone(previous, engine);
        }

        logger.LogInformation("Site link to gateway {Gateway} up ({Side}) for {Rooms}", peer.GatewayId, peer.Dialed ? "dialed" : "accepted",
            string.Join(", ", peer.RoomIds));
        PeerChanged?.Invoke(peer.GatewayId, true);
        foreach (var roomId in peer.RoomIds)
        {
            FloorInbox?.OnPeerUp(roomId, peer.GatewayId);
        }

        var sending = Task.Run(peer.Connection.SendLoopAsync, CancellationToken.None);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, peer.Connection.Closed);
        try
        {
            var frame = new AudioFrame();
            while (await peer.Connection.ReceiveAsync(stop.Token) is { } message)
            {
                var problem = message.Text ? OnText(peer, engine, LinkCodec.Read(message.Payload), message.Payload) : OnFrame(peer, engine, frame, message.Payload);
                if (problem is not null)
                {
                    await RefuseAsync(peer, problem);
                    break;
                }
            }
        }
        catch (LinkFormatException e)
        {
            await RefuseAsync(peer, e.Message);
        }
        finally
        {
            peer.Connection.Close();
            await sending;
            if (((ICollection<KeyValuePair<string, PeerLink>>)_peers).Remove(new KeyValuePair<string, PeerLink>(peer.GatewayId, peer)))
            {
                logger.LogInformation("Site link to gateway {Gateway} down", peer.GatewayId);
                Gone(peer, engine);
            }

            peer.Served.TrySetResult();
        }
    }

    // The peer's claims and bursts heard over this link end here (a replacing link's own are not touched: they come after).
    private void Gone(PeerLink peer, GatewayEngine engine)
    {
        PeerChanged?.Invoke(peer.GatewayId, false);
        foreach (var roomId in peer.RoomIds)
        {
            FloorInbox?.OnPeerDown(roomId, peer.GatewayId);
        }

        engine.RemoteSiteGone(peer.GatewayId);
    }

    /// <summary>Closes every link (the gateway stops).</summary>
    public void CloseAll()
    {
        foreach (var peer in _peers.Values)
        {
            peer.Connection.Close();
        }
    }

    private async Task RefuseAsync(PeerLink peer, string reason)
    {
        refusals.Refuse(peer.GatewayId, reason);
        await peer.Connection.RefuseAsync(reason);
    }

    private string? OnText(PeerLink peer, GatewayEngine engine, LinkMessage message, byte[] payload)
    {
        switch (message)
        {
            case LinkUnknown unknown when unknown.TypeName.StartsWith(LinkCodec.FloorTypePrefix, StringComparison.Ordinal):
                return OnFloor(peer, payload);
            case LinkBurstStart start:
                if (!peer.RoomIds.Contains(start.RoomId) || gateways.Room(start.RoomId) is not { } room)
                {
                    return $"a burst in {start.RoomId}, a room not linked between the two gateways";
                }

                peer.Incoming[start.BurstId] = room.Channel;
                engine.StartRemoteBurst(peer.GatewayId, start.BurstId, room.Channel, start.Talker, start.SampleRate, start.EventId);
                return null;
            case LinkBurstEnd end:
                if (peer.Incoming.Remove(end.BurstId))
                {
                    engine.EndRemoteBurst(peer.GatewayId, end.BurstId);
                }

                return null;
            case LinkUnknown:
                return null; // a later version's message: ignored
            default:
                return $"a {message.GetType().Name} after the handshake";
        }
    }

    // A floor message speaks for its sender only, in a room accepted on this link.
    private string? OnFloor(PeerLink peer, byte[] payload)
    {
        if (!SiteFloorWire.TryDecode(payload, out var floor, out var error) || floor is null)
        {
            return "a floor message that does not parse: " + error;
        }

        if (floor.GatewayId != peer.GatewayId || !peer.RoomIds.Contains(floor.RoomId))
        {
            return $"a floor message of gateway {floor.GatewayId} in {floor.RoomId}: not its own, or a room not linked between the two gateways";
        }

        FloorInbox?.OnMessage(peer.GatewayId, floor);
        return null;
    }

    private static string? OnFrame(PeerLink peer, GatewayEngine engine, AudioFrame frame, byte[] payload)
    {
        var error = frame.Read(payload, 0, payload.Length);
        if (error != Protocol.ProtocolError.None)
        {
            return "an audio frame that does not parse: " + error;
        }

        if (!peer.Incoming.ContainsKey(frame.BurstId))
        {
            return $"a frame of burst {frame.BurstId}, which it did not start";
        }

        engine.RemoteFrame(peer.GatewayId, payload);
        return null;
    }

    // The engine's loop calls these; the relay table is the loop's alone. A burst goes to the peers linked for the room
    // when it starts (a peer that links later hears the next one): a badge's, and a voice message from the room this
    // site plays into the floor (with its event id: the other sites keep their copy until they heard it); not bursts
    // that came from another site.
    void IGatewayObserver.OnBurstStarted(BurstInfo burst)
    {
        if (!(burst.Talker.IsBadge || burst.EventId is not null) || burst.Talker.IsRemote || _peers.IsEmpty || gateways.RoomOf(burst.Channel) is not { } room)
        {
            return;
        }

        var peers = _peers.Values.Where(p => p.RoomIds.Contains(room.RoomId)).ToArray();
        if (peers.Length == 0)
        {
            return;
        }

        var talker = burst.Talker.IsBadge ? registry.Snapshot.Badge(burst.Talker.Name)?.Name ?? burst.Talker.Name : burst.Talker.Name;
        var start = new LinkBurstStart(room.RoomId, burst.BurstId, LinkCodec.FitTalker(talker), burst.SampleRate, burst.EventId);
        foreach (var peer in peers)
        {
            peer.Connection.Enqueue(start);
        }

        _relaying[(burst.Channel, burst.BurstId)] = peers;
    }

    void IGatewayObserver.OnBurstFrame(byte channel, uint burstId, byte[] frame)
    {
        if (_relaying.TryGetValue((channel, burstId), out var peers))
        {
            foreach (var peer in peers)
            {
                if (!peer.Connection.EnqueueFrame(frame) && peer.Connection.FramesDropped == 1)
                {
                    logger.LogWarning("Site link to gateway {Gateway} does not keep up: dropping frames", peer.GatewayId);
                }
            }
        }
    }

    void IGatewayObserver.OnBurstEnded(BurstInfo burst, EndReason reason)
    {
        if (_relaying.Remove((burst.Channel, burst.BurstId), out var peers))
        {
            var end = new LinkBurstEnd(burst.BurstId);
            foreach (var peer in peers)
            {
                peer.Connection.Enqueue(end);
            }
        }
    }
}
