using WalkieTalkie.Gateway.MatrixBridge;

namespace WalkieTalkie.Gateway.Tests.Support.Scale;

/// <summary>
/// What gateways that share a site's Matrix bridge share on disk: the recordings folder, the badges' Matrix sessions
/// and key stores (under <c>matrix</c>) and the key that seals them; with the bridge's options for a test homeserver
/// (short syncs and retries, so a bridge moving between gateways shows within seconds).
/// </summary>
internal static class SharedMatrixFolder
{
    public static async Task<(string Folder, MatrixBridgeOptions Matrix)> CreateAsync(string prefix, Uri homeserver, CancellationToken ct = default)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        var keyFile = Path.Combine(folder, "store.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);
        return (folder, new MatrixBridgeOptions
        {
            Homeserver = homeserver.ToString(), StoreKeyFile = keyFile, Directory = Path.Combine(folder, "matrix"),
            SyncTimeout = TimeSpan.FromSeconds(2), HomeserverRetryMaxSeconds = 1,
        });
    }
}
