using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>
/// <c>walkie badge link</c>: gives a badge its Matrix account and device. Logs in (or registers the account where the
/// server allows it), stores the session, opens the device once so it uploads its keys and bootstraps its
/// cross-signing identity (answering the server's password challenge), and records the link.
/// </summary>
public static class BadgeLinker
{
    /// <summary>Links the badge; returns the link.</summary>
    /// <param name="stores">The gateway's storage.</param>
    /// <param name="options">The Matrix section.</param>
    /// <param name="dataDirectory">The gateway's data directory.</param>
    /// <param name="badgeId">The badge.</param>
    /// <param name="user">The account's localpart or full user id.</param>
    /// <param name="password">The account's password (kept only for cross-signing, in memory).</param>
    /// <param name="register">Create the account when logging in fails because it does not exist.</param>
    /// <param name="logger">Log lines.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static async Task<BadgeLink> LinkAsync(BridgeStores stores, MatrixBridgeOptions options, string dataDirectory,
        string badgeId, string user, string password, bool register, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException("Matrix:Homeserver is not configured");
        }

        var homeserver = new Uri(options.Homeserver!);
        var folder = options.BadgeDirectory(dataDirectory, badgeId);
        OwnerOnly.CreateFolder(folder);
        var deviceId = MatrixBridgeOptions.DeviceIdOf(badgeId);
        var store = new FileSessionStore(Path.Combine(folder, "session.json"));
        var credentials = new PasswordCredentials(user, password, deviceId, $"WalkieTalkie badge {badgeId}");

        var client = await AccountSession.ConnectAsync(homeserver, store, credentials, register, logger, cancellationToken);
        using (client)
        {
            await using var device = await MatrixDevice.OpenAsync(client, DeviceOptions(options, dataDirectory, badgeId, password), logger, cancellationToken);
            await device.StartAsync(cancellationToken); // keys up, cross-signing bootstrapped once, device signed
            var link = new BadgeLink(badgeId, client.UserId, client.DeviceId);
            stores.Links.SaveBadge(link);
            return link;
        }
    }

    /// <summary>The device options of a badge (the same for linking and running).</summary>
    public static MatrixDeviceOptions DeviceOptions(MatrixBridgeOptions options, string dataDirectory, string badgeId, string? password) => new()
    {
        KeyStorePath = Path.Combine(options.BadgeDirectory(dataDirectory, badgeId), "keys.db"),
        KeyStoreKeyFile = options.StoreKeyFile,
        OutboxPath = Path.Combine(options.ResolveDirectory(dataDirectory), "outbox.db"),
        AccountPassword = password,
        Sync = new WalkieTalkie.Matrix.Client.Sync.SyncLoopOptions { Timeout = options.SyncTimeout, Backoff = options.HomeserverBackoff() },
        OutboxBackoff = options.HomeserverBackoff(),
    };
}
