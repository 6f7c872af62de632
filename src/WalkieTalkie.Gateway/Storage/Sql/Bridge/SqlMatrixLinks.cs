using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary>
/// The badges' Matrix accounts and the channels' rooms in the gateway database. A change moves the registry's version
/// (<see cref="IRegistryChanges"/>), so that a running gateway bridges what was linked without a restart.
/// </summary>
public class SqlMatrixLinks(SqlDatabase database, IRecordingIndex recordings) : IMatrixLinkStore
{
    public void SaveBadge(BadgeLink link)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, """
            INSERT INTO matrix_badge_links (badge_id, user_id, device_id, session_path) VALUES (@b, @u, @d, '')
            ON CONFLICT (badge_id) DO UPDATE SET user_id = excluded.user_id, device_id = excluded.device_id, session_path = excluded.session_path
            """, ("b", link.BadgeId), ("u", link.UserId), ("d", link.DeviceId));
        database.BumpConfigVersion(connection); // a running gateway's bridge starts the new device (MatrixBridgeService)
    }

    /// <summary>
    /// Links a channel to a room; bursts from now on are bridged (older recordings are not sent). Linking a channel
    /// again to the same room (to change the granter, or to finish the room's set-up) keeps the burst it started at,
    /// so bursts waiting to be sent are not skipped.
    /// </summary>
    public ChannelRoomLink SaveChannel(string channel, string roomId, string granterUserId)
    {
        var first = recordings.NextBurstId();
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, """
            INSERT INTO matrix_channel_links (channel, room_id, granter_user_id, first_burst_id) VALUES (@c, @r, @g, @f)
            ON CONFLICT (channel) DO UPDATE SET granter_user_id = @g,
                first_burst_id = CASE WHEN matrix_channel_links.room_id = @r THEN matrix_channel_links.first_burst_id ELSE @f END,
                room_id = @r
            """, ("c", channel), ("r", roomId), ("g", granterUserId), ("f", (long)first));
        database.BumpConfigVersion(connection); // a running gateway's bridge takes the new room (MatrixBridgeService)
        using var command = SqlDatabase.Command(connection, "SELECT first_burst_id FROM matrix_channel_links WHERE channel = @c", ("c", channel));
        return new ChannelRoomLink(channel, roomId, granterUserId, (uint)(long)command.ExecuteScalar()!);
    }

    public IReadOnlyList<BadgeLink> Badges()
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection, "SELECT badge_id, user_id, device_id FROM matrix_badge_links ORDER BY badge_id");
        using var reader = command.ExecuteReader();
        var list = new List<BadgeLink>();
        while (reader.Read())
        {
            list.Add(new BadgeLink(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return list;
    }

    public IReadOnlyList<ChannelRoomLink> Channels()
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection,
            "SELECT channel, room_id, granter_user_id, first_burst_id FROM matrix_channel_links ORDER BY channel");
        using var reader = command.ExecuteReader();
        var list = new List<ChannelRoomLink>();
        while (reader.Read())
        {
            list.Add(new ChannelRoomLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), (uint)reader.GetInt64(3)));
        }

        return list;
    }

    /// <summary>The badges that are members of a channel (by name) and have a Matrix account.</summary>
    public IReadOnlyList<BadgeLink> BadgesOf(string channel)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection, """
            SELECT l.badge_id, l.user_id, l.device_id FROM matrix_badge_links l
            JOIN memberships m ON m.badge_id = l.badge_id JOIN channels c ON c.number = m.channel
            WHERE c.name = @c ORDER BY l.badge_id
            """, ("c", channel));
        using var reader = command.ExecuteReader();
        var list = new List<BadgeLink>();
        while (reader.Read())
        {
            list.Add(new BadgeLink(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return list;
    }

    public IReadOnlyList<BadgeLink> PersonalDevicesOf(string channel)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, """
            SELECT d.id, d.owner, d.matrix_device_id FROM web_devices d
            JOIN memberships m ON m.badge_id = d.id JOIN channels c ON c.number = m.channel
            WHERE c.name = @c AND d.kind = 'matrix' ORDER BY d.id
            """, ("c", channel));
        using var reader = command.ExecuteReader();
        var list = new List<BadgeLink>();
        while (reader.Read())
        {
            list.Add(new BadgeLink(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return list;
    }
}
