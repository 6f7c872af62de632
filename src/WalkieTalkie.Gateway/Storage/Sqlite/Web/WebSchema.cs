using Microsoft.Data.Sqlite;

namespace WalkieTalkie.Gateway.Storage.Sqlite.Web;

/// <summary>
/// The web walkie's tables in the gateway database: which badge ids are browsers (<c>web_devices</c>) and the gateway-local
/// accounts (<c>web_users</c>). Both hang off the <c>badges</c> row of the device, so removing the badge removes them.
/// </summary>
public static class WebSchema
{
    /// <summary>
    /// What a web device has as its badge secret: not a hash in <c>SecretHasher</c>'s form, so no secret matches it and
    /// the device can never log in to the MQTT broker or the badge API.
    /// </summary>
    public const string NoBadgeSecret = "web-device";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS web_devices (
            id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, kind TEXT NOT NULL, owner TEXT NOT NULL,
            matrix_device_id TEXT, created_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS web_devices_matrix ON web_devices (owner, matrix_device_id) WHERE kind = 'matrix';
        CREATE TABLE IF NOT EXISTS web_users (
            name TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, password_hash TEXT NOT NULL, role TEXT NOT NULL);
        """;

    public static SqliteConnection Open(SqliteDatabase database)
    {
        var connection = database.Open();
        SqliteDatabase.Execute(connection, Schema);
        return connection;
    }

    internal static void AddDevice(SqliteConnection connection, string id, string name, string kind, string owner, string? matrixDeviceId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        SqliteDatabase.Execute(connection,
            "INSERT INTO badges (id, name, secret_hash, priority, created_at) VALUES ($id, $name, $secret, 0, $now)",
            ("$id", id), ("$name", name), ("$secret", NoBadgeSecret), ("$now", now));
        SqliteDatabase.Execute(connection,
            "INSERT INTO web_devices (id, kind, owner, matrix_device_id, created_at) VALUES ($id, $kind, $owner, $device, $now)",
            ("$id", id), ("$kind", kind), ("$owner", owner), ("$device", matrixDeviceId), ("$now", now));
    }
}
