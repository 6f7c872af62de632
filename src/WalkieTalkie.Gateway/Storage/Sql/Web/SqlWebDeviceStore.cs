using System.Security.Cryptography;
using System.Text;
using System.Data.Common;
using WalkieTalkie.Gateway.Web.Devices;

namespace WalkieTalkie.Gateway.Storage.Sql.Web;

/// <summary>The registry's web devices in the gateway database.</summary>
public class SqlWebDeviceStore(SqlDatabase database) : IWebDeviceStore
{
    private const string Columns = "id, kind, owner, matrix_device_id";

    public WebDevice? Find(string id)
    {
        using var connection = database.Connect();
        return Read(connection, $"SELECT {Columns} FROM web_devices WHERE id = @id", ("id", id)).FirstOrDefault();
    }

    public WebDevice EnsureMatrixDevice(string userId, string matrixDeviceId, string displayName, int channel)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var existing = Read(connection, $"SELECT {Columns} FROM web_devices WHERE kind = 'matrix' AND owner = @owner AND matrix_device_id = @device",
            ("owner", userId), ("device", matrixDeviceId)).FirstOrDefault();
        var device = existing ?? new WebDevice(IdFor(userId, matrixDeviceId), WebDeviceKind.Matrix, userId, matrixDeviceId);
        var changed = false;
        if (existing is null)
        {
            WebDeviceRows.Add(connection, device.Id, displayName, WebDeviceKind.Matrix, userId, matrixDeviceId);
            changed = true;
        }

        try
        {
            using var join = SqlDatabase.Command(connection, "INSERT INTO memberships (badge_id, channel) VALUES (@id, @channel) ON CONFLICT DO NOTHING",
                ("id", device.Id), ("channel", channel));
            changed |= join.ExecuteNonQuery() > 0;
        }
        catch (DbException e) when (database.Dialect.IsForeignKeyViolation(e))
        {
            throw new RegistryException($"no channel {channel}");
        }

        if (changed)
        {
            database.BumpConfigVersion(connection);
        }

        transaction.Commit();
        return device;
    }

    public IReadOnlyList<WebDevice> MatrixDevicesOf(int channel)
    {
        using var connection = database.Connect();
        return Read(connection,
            $"SELECT {Columns} FROM web_devices JOIN memberships ON memberships.badge_id = web_devices.id WHERE kind = 'matrix' AND channel = @channel ORDER BY id",
            ("channel", channel));
    }

    public IReadOnlyList<WebDevice> List()
    {
        using var connection = database.Connect();
        return Read(connection, $"SELECT {Columns} FROM web_devices ORDER BY id");
    }

    /// <summary>
    /// A badge id for a Matrix device: <c>mx-</c> and 20 base-32 characters of a SHA-256 of user and device (a Matrix id
    /// holds characters a badge id may not, and can be longer than 32).
    /// </summary>
    public static string IdFor(string userId, string matrixDeviceId)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(userId + "\n" + matrixDeviceId));
        var id = new StringBuilder("mx-");
        for (var i = 0; i < 20; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[bit / 8 + 1]) >> (11 - bit % 8) & 31;
            id.Append(alphabet[value]);
        }

        return id.ToString();
    }

    private static List<WebDevice> Read(DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = SqlDatabase.Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var devices = new List<WebDevice>();
        while (reader.Read())
        {
            devices.Add(new WebDevice(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return devices;
    }
}
