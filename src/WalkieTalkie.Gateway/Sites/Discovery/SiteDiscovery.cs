using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>
/// Keeps this gateway's announcement in every room it serves and reads the others': each pass (every
/// <see cref="SiteOptions.StateRereadSeconds"/>, and when asked) announces where it was not yet announced or the
/// announcement changed, reads each room's announcements, and withdraws the announcement from rooms no longer linked
/// here (the rooms announced in are kept in <c>{DataDirectory}/sites-announced</c>, so a channel linked elsewhere while
/// the gateway was stopped is withdrawn from at the next start).
/// </summary>
public sealed class SiteDiscovery
{
    private readonly ISiteMatrix _matrix;
    private readonly RoomGateways _gateways;
    private readonly GatewayIdentity _identity;
    private readonly ILogger _logger;
    private readonly string _announcedFile;
    private readonly Dictionary<string, SiteRoom> _announced = new(StringComparer.Ordinal);

    // The rooms this run announced in, and those where another gateway was found announcing this one's id since.
    private readonly HashSet<string> _announcedNow = new(StringComparer.Ordinal);
    private readonly HashSet<string> _twinSeen = new(StringComparer.Ordinal);

    public SiteDiscovery(ISiteMatrix matrix, RoomGateways gateways, GatewayIdentity identity, IOptions<SiteOptions> options,
        IOptions<GatewayOptions> gateway, SiteTls tls, ILogger<SiteDiscovery> logger)
    {
        _matrix = matrix;
        _gateways = gateways;
        _identity = identity;
        _logger = logger;
        _announcedFile = Path.Combine(gateway.Value.DataDirectory, "sites-announced");
        Own = new GatewayAnnouncement(identity.Id, options.Value.Endpoint ?? "", FingerprintOf(tls));
        LoadAnnounced();
    }

    /// <summary>What this gateway announces.</summary>
    public GatewayAnnouncement Own { get; }

    /// <summary>One pass: announce, read, withdraw. A room that fails is logged and tried again at the next pass.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var rooms = _matrix.LinkedRooms();
        _gateways.SetRooms(rooms);
        foreach (var room in rooms)
        {
            try
            {
                var announced = await _matrix.ReadAsync(room, cancellationToken);
                var mine = announced.FirstOrDefault(a => a.Announcement.GatewayId == _identity.Id);
                if (mine is null || mine.Announcement != Own || mine.Sender != room.GranterUserId)
                {
                    if (mine is not null && mine.Announcement != Own && _announcedNow.Contains(room.RoomId) && _twinSeen.Add(room.RoomId))
                    {
                        // This run's announcement was overwritten by another under the same id: two gateways share it (a
                        // copied data folder) and take turns announcing, so neither links to the other.
                        _logger.LogError("Room {Room}: another gateway announces itself with this gateway's id {Gateway} (at {Endpoint}, as {Sender}): " +
                            "two gateways share the id (a data folder copied from one to the other?) and cannot link; give one of them its own Sites:GatewayId " +
                            "(or delete its {File})", room.RoomId, _identity.Id, mine.Announcement.Endpoint, mine.Sender, "gateway-id");
                    }

                    await _matrix.AnnounceAsync(room, Own, cancellationToken);
                    _announcedNow.Add(room.RoomId);
                    _logger.LogInformation("Announced gateway {Gateway} in {Room} as {Granter}: {Endpoint}", _identity.Id, room.RoomId, room.GranterUserId, Own.Endpoint);
                    announced = await _matrix.ReadAsync(room, cancellationToken);
                }

                _gateways.SetAnnounced(room.RoomId, announced);
                if (!_announced.ContainsKey(room.RoomId) || _announced[room.RoomId] != room)
                {
                    _announced[room.RoomId] = room;
                    SaveAnnounced();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Room {Room}: gateway announcements not read or renewed: {Error}", room.RoomId, e.Message);
            }
        }

        foreach (var gone in _announced.Values.Where(a => rooms.All(r => r.RoomId != a.RoomId)).ToArray())
        {
            try
            {
                await _matrix.WithdrawAsync(gone.RoomId, gone.GranterUserId, _identity.Id, cancellationToken);
                _announced.Remove(gone.RoomId);
                SaveAnnounced();
                _logger.LogInformation("Withdrew gateway {Gateway} from {Room}: no channel is linked to it here any more", _identity.Id, gone.RoomId);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Room {Room}: the gateway announcement could not be withdrawn: {Error}", gone.RoomId, e.Message);
            }
        }

        _gateways.RaiseChanged();
    }

    /// <summary>The SHA-256 of the site certificate's DER, lowercase hex; empty without TLS.</summary>
    public static string FingerprintOf(SiteTls tls) =>
        tls.Certificate is { } certificate ? Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)) : "";

    private void LoadAnnounced()
    {
        if (!File.Exists(_announcedFile))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(_announcedFile))
        {
            var parts = line.Split('\t');
            if (parts.Length == 2)
            {
                _announced[parts[0]] = new SiteRoom(parts[0], 0, parts[1]);
            }
        }
    }

    private void SaveAnnounced() =>
        OwnerOnly.WriteAllBytes(_announcedFile,
            System.Text.Encoding.UTF8.GetBytes(string.Concat(_announced.Values.Select(r => r.RoomId + "\t" + r.GranterUserId + "\n"))));
}
