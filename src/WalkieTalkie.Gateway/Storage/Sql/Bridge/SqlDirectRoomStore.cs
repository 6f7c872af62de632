using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary><see cref="IDirectRoomStore"/> in the gateway database (table <c>bridge_direct_rooms</c>).</summary>
public class SqlDirectRoomStore(SqlDatabase database) : IDirectRoomStore
{
    private const string Columns = "badge_id, user_id, room_id, channel";

    /// <inheritdoc />
    public DirectRoom? Find(string badgeId, string userId) =>
        Read($"SELECT {Columns} FROM bridge_direct_rooms WHERE badge_id = @b AND user_id = @u", ("b", badgeId), ("u", userId)).FirstOrDefault();

    /// <inheritdoc />
    public DirectRoom? FindByRoom(string roomId) =>
        Read($"SELECT {Columns} FROM bridge_direct_rooms WHERE room_id = @r", ("r", roomId)).FirstOrDefault();

    /// <inheritdoc />
    public void Save(DirectRoom room)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, """
            INSERT INTO bridge_direct_rooms (badge_id, user_id, room_id, channel) VALUES (@b, @u, @r, @c)
            ON CONFLICT (badge_id, user_id) DO UPDATE SET room_id = excluded.room_id, channel = excluded.channel
            """, ("b", room.BadgeId), ("u", room.UserId), ("r", room.RoomId), ("c", (int)room.Channel));
    }

    /// <inheritdoc />
    public IReadOnlyList<DirectRoom> All() => Read($"SELECT {Columns} FROM bridge_direct_rooms ORDER BY badge_id, user_id");

    private List<DirectRoom> Read(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rooms = new List<DirectRoom>();
        while (reader.Read())
        {
            rooms.Add(new DirectRoom(reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte)reader.GetInt64(3)));
        }

        return rooms;
    }
}
