using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>
/// How the link commands get an account's session (a badge's, the granter's): the stored one, else a password login,
/// else, with <c>--register</c> and a login refused because the account does not exist, a new account where the
/// server allows open registration. The session is stored for the running gateway.
/// </summary>
internal static class AccountSession
{
    /// <summary>The account's client; the caller disposes it.</summary>
    public static async Task<MatrixClient> ConnectAsync(Uri homeserver, ISessionStore store, PasswordCredentials? credentials, bool register,
        ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await MatrixClient.ConnectAsync(homeserver, store, credentials, logger: logger, cancellationToken: cancellationToken);
        }
        catch (MatrixException e) when (register && credentials is not null && e.ErrorCode == MatrixErrorCode.Forbidden)
        {
            logger.LogInformation("Login as {User} refused ({Error}); registering the account", credentials.User, e.Message);
            var client = new MatrixClient(homeserver, logger: logger);
            try
            {
                var session = await client.RegisterAsync(Localpart(credentials.User), credentials.Password, credentials.DeviceId,
                    credentials.DeviceDisplayName, cancellationToken: cancellationToken);
                await store.SaveAsync(session, cancellationToken);
                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    private static string Localpart(string user) => user.StartsWith('@') && user.IndexOf(':') is > 1 and var colon ? user[1..colon] : user;
}
