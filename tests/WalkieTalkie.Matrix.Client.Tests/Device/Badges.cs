using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Device;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests.Device;

/// <summary>Badges as <see cref="MatrixDevice"/>s on one test homeserver, each with its own files in a temporary folder
/// so that it can be stopped and opened again as a new process would.</summary>
internal sealed class Badges : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-device-").FullName;
    private readonly Dictionary<string, (MatrixSession Session, MatrixClient Client)> _accounts = new();

    public required TestHomeserver.TestHomeserver Homeserver { get; init; }
    public Dictionary<string, MatrixDevice> Open { get; } = new();

    public static async Task<Badges> StartAsync(CancellationToken ct) =>
        new() { Homeserver = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct) };

    /// <summary>Registers the badge's account (first call), opens its device and starts it (<paramref name="beforeStart"/>
    /// sees it opened, not yet started).</summary>
    public async Task<MatrixDevice> StartBadgeAsync(string name, CancellationToken ct, MatrixHttpOptions? http = null,
        Action<MatrixDevice>? beforeStart = null)
    {
        if (!_accounts.TryGetValue(name, out var account))
        {
            var user = Homeserver.RegisterUser("walkie-" + name, name + "-password");
            var s = Homeserver.CreateSession(user.UserId, "BADGE" + name.ToUpperInvariant());
            var session = new MatrixSession(Homeserver.BaseUrl, s.UserId, s.DeviceId, s.AccessToken);
            account = (session, null!);
        }
        account.Client?.Dispose();
        var client = ClientFor(Homeserver, options: http ?? FastOptions());
        client.UseSession(account.Session);
        _accounts[name] = (account.Session, client);
        // The operator makes the key store's key; the device never invents one.
        var keyFile = Path.Combine(_folder, name + ".key");
        if (!File.Exists(keyFile))
        {
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct);
        }

        var device = await MatrixDevice.OpenAsync(client, new MatrixDeviceOptions
        {
            KeyStorePath = Path.Combine(_folder, name + "-keys.db"),
            KeyStoreKeyFile = keyFile,
            OutboxPath = Path.Combine(_folder, "outbox.db"),
            AccountPassword = name + "-password",
            Sync = new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(5), Backoff = FastRetry },
            OutboxBackoff = FastRetry,
        }, cancellationToken: ct);
        beforeStart?.Invoke(device);
        await device.StartAsync(ct);
        Open[name] = device;
        return device;
    }

    public string Folder => _folder;

    /// <summary>Stops a badge as a process stop would (its files stay).</summary>
    public async Task StopBadgeAsync(string name)
    {
        await Open[name].DisposeAsync();
        Open.Remove(name);
    }

    /// <summary>An encrypted room made by <paramref name="creator"/> with the others joined.</summary>
    public async Task<string> EncryptedRoomAsync(MatrixDevice creator, IEnumerable<MatrixDevice> others, CancellationToken ct)
    {
        var members = others.ToList();
        var room = await creator.Client.CreateRoomAsync(new JsonObject
        {
            ["invite"] = new JsonArray(members.Select(m => (JsonNode)m.Client.UserId).ToArray()),
            ["initial_state"] = new JsonArray(new JsonObject
            {
                ["type"] = "m.room.encryption", ["state_key"] = "",
                ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" },
            }),
        }, ct);
        foreach (var member in members)
        {
            await member.JoinRoomAsync(room, ct);
        }

        await WaitUntilAsync(() => creator.Rooms.Get(room)?.JoinedUserIds.Count == members.Count + 1, "the creator saw everyone join");
        return room;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in Open.Values)
        {
            await device.DisposeAsync();
        }

        foreach (var (_, client) in _accounts.Values)
        {
            client?.Dispose();
        }

        await Homeserver.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
