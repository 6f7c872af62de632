using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Sites.FloorRecord;

namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>What the sites need from Matrix: the rooms linked here, the announcements in them, and OpenID tokens of the granters.</summary>
public interface ISiteMatrix
{
    /// <summary>The rooms this gateway serves now (its linked channels).</summary>
    IReadOnlyList<SiteRoom> LinkedRooms();

    /// <summary>Sends this gateway's announcement into the room as its granter.</summary>
    Task AnnounceAsync(SiteRoom room, GatewayAnnouncement announcement, CancellationToken cancellationToken);

    /// <summary>Withdraws the announcement (empty content) from a room no longer linked here, as <paramref name="granterUserId"/>.</summary>
    Task WithdrawAsync(string roomId, string granterUserId, string gatewayId, CancellationToken cancellationToken);

    /// <summary>The valid announcements in the room's current state (read as the room's granter).</summary>
    Task<IReadOnlyList<AnnouncedGateway>> ReadAsync(SiteRoom room, CancellationToken cancellationToken);

    /// <summary>Sends the room's floor state event (<c>org.matrix.msc4002.floor</c>, state key "") as the room's granter.</summary>
    Task SendFloorAsync(SiteRoom room, JsonObject content, CancellationToken cancellationToken);

    /// <summary>
    /// One sync of <paramref name="granterUserId"/> for the floor events of <paramref name="roomIds"/>, held up to
    /// <paramref name="timeout"/> while nothing new comes; <paramref name="since"/> is the last batch's <c>NextBatch</c>.
    /// </summary>
    Task<RoomFloorBatch> ReadFloorAsync(string granterUserId, IReadOnlyCollection<string> roomIds, string? since, TimeSpan timeout,
        CancellationToken cancellationToken);

    /// <summary>A fresh OpenID token of the granter account.</summary>
    Task<OpenIdToken> RequestOpenIdTokenAsync(string granterUserId, CancellationToken cancellationToken);
}
