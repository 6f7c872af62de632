using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql.Web;

/// <summary>
/// The web walkie's rows: which badge ids are browsers (<c>web_devices</c>) and the gateway-local accounts
/// (<c>web_users</c>). Both hang off the <c>badges</c> row of the device, so removing the badge removes them.
/// </summary>
public static class WebDeviceRows
{
    /// <summary>
    /// What a web device has as its badge secret: not a hash in <c>SecretHasher</c>'s form, so no secret matches it and
    /// the device can never log in to the MQTT broker or the badge API.
    /// </summary>
    public const string NoBadgeSecret = "web-device";

    internal static void Add(DbConnection connection, string id, string name, string kind, string owner, string? matrixDeviceId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        SqlDatabase.Execute(connection,
            "INSERT INTO badges (id, name, secret_hash, priority, created_at) VALUES (@id, @name, @secret, 0, @now)",
            ("id", id), ("name", name), ("secret", NoBadgeSecret), ("now", now));
        SqlDatabase.Execute(connection,
            "INSERT INTO web_devices (id, kind, owner, matrix_device_id, created_at) VALUES (@id, @kind, @owner, @device, @now)",
            ("id", id), ("kind", kind), ("owner", owner), ("device", matrixDeviceId), ("now", now));
    }
}
