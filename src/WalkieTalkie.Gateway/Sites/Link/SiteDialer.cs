using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Sites.Discovery;

namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>
/// The dialing side: of two gateways in a room, the one whose id sorts first (ordinal) dials the other, so each pair
/// has one link. Each peer gets a loop that connects (TLS with the certificate pinned to the fingerprint in the peer's
/// announcement; plain <c>ws://</c> only in development), says hello with a fresh OpenID token of the granter, serves
/// the link until it drops, and tries again after a wait that starts at 1 s and doubles up to
/// <see cref="SiteOptions.ReconnectMaxSeconds"/>. The loop ends when the peer is no longer announced in a shared room.
/// </summary>
public sealed class SiteDialer(SiteLinks links, RoomGateways gateways, ISiteMatrix matrix, GatewayIdentity identity, LinkRefusals refusals,
    IOptions<SiteOptions> options, IOptions<GatewayOptions> gateway, ILogger<SiteDialer> logger)
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, (Task Loop, CancellationTokenSource Stop)> _dialing = new(StringComparer.Ordinal);

    /// <summary>Starts a loop for each peer this gateway dials and stops those of peers gone; call after each discovery pass.</summary>
    public void Update(CancellationToken stopping)
    {
        var peers = gateways.Peers(identity.Id).Where(p => string.CompareOrdinal(identity.Id, p.GatewayId) < 0).ToDictionary(p => p.GatewayId);
        lock (_dialing)
        {
            foreach (var (id, dial) in _dialing.Where(d => !peers.ContainsKey(d.Key) || d.Value.Loop.IsCompleted).ToArray())
            {
                dial.Stop.Cancel();
                _dialing.Remove(id);
            }

            foreach (var id in peers.Keys.Where(id => !_dialing.ContainsKey(id)))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                _dialing[id] = (Task.Run(() => DialLoopAsync(id, stop.Token), CancellationToken.None), stop);
            }
        }

        // A link whose shared rooms changed (a room linked or unlinked at either end) is made again with the new set.
        foreach (var link in links.Peers.Where(l => l.Dialed))
        {
            if (peers.TryGetValue(link.GatewayId, out var peer) && !peer.RoomIds.Order(StringComparer.Ordinal).SequenceEqual(link.RoomIds.Order(StringComparer.Ordinal)))
            {
                logger.LogInformation("Rooms shared with gateway {Gateway} changed: linking again", link.GatewayId);
                link.Connection.Close();
            }
        }
    }

    /// <summary>Stops every loop and waits for them.</summary>
    public async Task StopAsync()
    {
        (Task Loop, CancellationTokenSource Stop)[] all;
        lock (_dialing)
        {
            all = _dialing.Values.ToArray();
            _dialing.Clear();
        }

        foreach (var dial in all)
        {
            dial.Stop.Cancel();
        }

        await Task.WhenAll(all.Select(d => d.Loop));
    }

    private async Task DialLoopAsync(string peerId, CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(options.Value.ReconnectMaxSeconds);
        while (!ct.IsCancellationRequested)
        {
            var peer = gateways.Peers(identity.Id).FirstOrDefault(p => p.GatewayId == peerId);
            if (peer is null)
            {
                return;
            }

            try
            {
                if (await ConnectAsync(peer, ct) is { } link)
                {
                    wait = TimeSpan.FromSeconds(1);
                    await links.RunPeerAsync(link, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogInformation("Gateway {Gateway} not reached at {Endpoint}: {Error}", peerId, peer.Announcement.Endpoint, e.Message);
            }

            try
            {
                await Task.Delay(wait, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = wait * 2 > max ? max : wait * 2;
        }
    }

    /// <summary>Connects and shakes hands; null (logged) when the peer refused or may not be dialed.</summary>
    private async Task<PeerLink?> ConnectAsync(SitePeer peer, CancellationToken ct)
    {
        var announcement = peer.Announcement;
        if (!announcement.IsSecure && !gateway.Value.Development)
        {
            refusals.Refuse(peer.GatewayId, $"its endpoint {announcement.Endpoint} is plain (ws://); only wss:// outside development");
            return null;
        }

        var rooms = gateways.Rooms.Where(r => peer.RoomIds.Contains(r.RoomId)).ToArray();
        if (rooms.Length == 0)
        {
            return null;
        }

        // One hello speaks for one account: the rooms whose granter is the first room's (another granter's rooms are a
        // second account the peer would have to trust; they link when that account's rooms are the first).
        var granter = rooms[0].GranterUserId;
        var token = await matrix.RequestOpenIdTokenAsync(granter, ct);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        if (announcement.IsSecure)
        {
            socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(
                    SHA256.HashData(certificate.GetRawCertData()), Convert.FromHexString(announcement.Fingerprint));
        }

        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        handshake.CancelAfter(HandshakeTimeout);
        try
        {
            await socket.ConnectAsync(new Uri(announcement.Endpoint), handshake.Token);
            var connection = new SiteConnection(socket, options.Value.MaxQueuedFrames);
            var hello = new LinkHello(identity.Id, granter, token.AccessToken, token.ServerName,
                rooms.Where(r => r.GranterUserId == granter).Select(r => r.RoomId).ToArray());
            await connection.SendNowAsync(hello, handshake.Token);
            var answer = await connection.ReceiveAsync(handshake.Token) is { Text: true } message ? LinkCodec.Read(message.Payload) : null;
            switch (answer)
            {
                case LinkWelcome welcome when welcome.GatewayId == peer.GatewayId:
                    return new PeerLink(peer.GatewayId, welcome.Rooms.Intersect(hello.Rooms, StringComparer.Ordinal).ToArray(), connection, dialed: true);
                case LinkRefused refused:
                    logger.LogWarning("Gateway {Gateway} refused the site link: {Reason}", peer.GatewayId, refused.Reason);
                    break;
                default:
                    refusals.Refuse(peer.GatewayId, "it did not answer the hello with its welcome");
                    await connection.RefuseAsync("no welcome");
                    break;
            }
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw;
        }

        socket.Dispose();
        return null;
    }
}
