using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Sessions;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>
/// The account a linked channel writes permits from (<c>walkie channel link --granter</c>). The gateway sends as it
/// only with a session it holds: a linked badge's (when the granter is a badge account), or the granter's own,
/// stored under <c>{matrix}/granters/</c> by <c>walkie channel link --granter-password</c> (one login, fixed device
/// id <see cref="DeviceId"/>; no keys: state events are never encrypted). A dedicated account that a room admin
/// raises to the permit level is the intended use; a parent's own account works too but shows one more session.
/// </summary>
public static class GranterAccount
{
    /// <summary>The device id of a granter's session.</summary>
    public const string DeviceId = "WTGRANTER";

    /// <summary>Where a granter's own session is stored.</summary>
    public static string SessionPath(MatrixBridgeOptions options, string dataDirectory, string userId) =>
        Path.Combine(options.ResolveDirectory(dataDirectory), "granters",
            new string(userId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()), "session.json");

    /// <summary>
    /// The granter's client: the badge's session when the granter is a linked badge account, else its own stored
    /// session, else (with a password) a login whose session is stored, or with <paramref name="register"/> a new
    /// account when the login is refused (<c>walkie channel link --register</c>). Null when the gateway holds no
    /// session and has no password. The caller disposes the client.
    /// </summary>
    public static async Task<MatrixClient?> ConnectAsync(BridgeStores stores, MatrixBridgeOptions options, string dataDirectory,
        string userId, string? password, bool register, ILogger logger, CancellationToken cancellationToken)
    {
        var homeserver = new Uri(options.Homeserver!);
        var badge = stores.Links.Badges().FirstOrDefault(b => b.UserId == userId);
        var path = badge is not null
            ? Path.Combine(options.BadgeDirectory(dataDirectory, badge.BadgeId), "session.json")
            : SessionPath(options, dataDirectory, userId);
        if (!File.Exists(path) && password is null)
        {
            return null;
        }

        if (badge is null)
        {
            OwnerOnly.CreateFolder(Path.GetDirectoryName(path)!);
        }

        var credentials = password is null ? null : new PasswordCredentials(userId, password, DeviceId, "WalkieTalkie gateway (permits)");
        return await AccountSession.ConnectAsync(homeserver, new FileSessionStore(path), credentials, register && badge is null, logger, cancellationToken);
    }
}
