namespace WalkieTalkie.Interop;

// Sessions, crypto start-up and trust.
public sealed partial class JsPeer
{
    /// <summary>Default bound of a wait on the peer's side (its <c>timeoutMs</c>).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    /// <summary>Registers an account (open registration with <c>m.login.dummy</c>) and keeps its session.</summary>
    public async Task<PeerSession> RegisterAsync(Uri baseUrl, string username, string password, string? deviceId = null,
        CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("register", new { baseUrl = BaseUrl(baseUrl), username, password, deviceId }, cancellationToken: cancellationToken);
        return new PeerSession(r.Str("userId"), r.Str("deviceId"), r.Str("accessToken"));
    }

    /// <summary>Logs in with a password (a new device unless <paramref name="deviceId"/> names one).</summary>
    public async Task<PeerSession> LoginAsync(Uri baseUrl, string user, string password, string? deviceId = null,
        CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("login", new { baseUrl = BaseUrl(baseUrl), user, password, deviceId }, cancellationToken: cancellationToken);
        return new PeerSession(r.Str("userId"), r.Str("deviceId"), r.Str("accessToken"));
    }

    /// <summary>Uses an existing access token (e.g. one the test homeserver created); <paramref name="password"/>
    /// is kept for interactive auth.</summary>
    public Task UseSessionAsync(Uri baseUrl, string userId, string deviceId, string accessToken, string? password = null,
        CancellationToken cancellationToken = default) =>
        SendAsync("useSession", new { baseUrl = BaseUrl(baseUrl), userId, deviceId, accessToken, password }, cancellationToken: cancellationToken);

    /// <summary>Creates the client, starts Rust crypto (in-memory store) in the given isolation mode, and waits for
    /// the first sync.</summary>
    public async Task<DeviceIdentity> StartClientAsync(DeviceIsolation isolation = DeviceIsolation.AllDevices,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("start", new { isolation = IsolationName(isolation), timeoutMs = Ms(timeout) }, cancellationToken: cancellationToken);
        return Identity(r);
    }

    /// <summary>The peer's own device keys.</summary>
    public async Task<DeviceIdentity> OwnKeysAsync(CancellationToken cancellationToken = default) =>
        Identity(await SendAsync("ownKeys", cancellationToken: cancellationToken));

    /// <summary>Changes the isolation mode of a started client.</summary>
    public Task SetIsolationAsync(DeviceIsolation isolation, CancellationToken cancellationToken = default) =>
        SendAsync("setIsolationMode", new { mode = IsolationName(isolation) }, cancellationToken: cancellationToken);

    /// <summary>Creates and uploads master, self-signing and user-signing keys and signs this device
    /// (<c>bootstrapCrossSigning</c>); answers the server's interactive auth with the session's password.
    /// Returns whether cross-signing is ready afterwards.</summary>
    public async Task<bool> BootstrapCrossSigningAsync(bool reset = false, string? password = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("bootstrapCrossSigning", new { reset, password }, cancellationToken: cancellationToken);
        return r["ready"]?.GetValue<bool>() == true;
    }

    /// <summary>How this peer judges another device, after refreshing that user's device list.</summary>
    public async Task<DeviceTrust> DeviceTrustAsync(string userId, string deviceId, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("deviceVerificationStatus", new { userId, deviceId }, cancellationToken: cancellationToken);
        return new DeviceTrust(r.Bool("known"), r.Bool("signedByOwner"), r.Bool("crossSigningVerified"), r.Bool("locallyVerified"), r.Bool("verified"));
    }

    /// <summary>Waits until another device is in the peer's device list (its owner's device list change has been
    /// synced and queried), then reports the peer's trust in it.</summary>
    public async Task<DeviceTrust> WaitForDeviceAsync(string userId, string deviceId, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("waitForDevice", new { userId, deviceId, timeoutMs = Ms(timeout) }, cancellationToken: cancellationToken);
        return new DeviceTrust(r.Bool("known"), r.Bool("signedByOwner"), r.Bool("crossSigningVerified"), r.Bool("locallyVerified"), r.Bool("verified"));
    }

    private static DeviceIdentity Identity(System.Text.Json.Nodes.JsonObject r) =>
        new(r.Str("userId"), r.Str("deviceId"), r.Str("ed25519"), r.Str("curve25519"));

    private static string BaseUrl(Uri baseUrl) => baseUrl.ToString().TrimEnd('/');

    private static string IsolationName(DeviceIsolation isolation) => isolation switch
    {
        DeviceIsolation.AllDevices => "all",
        DeviceIsolation.OnlySignedDevices => "onlySigned",
        _ => throw new ArgumentOutOfRangeException(nameof(isolation)),
    };

    /// <summary>A wait bound in milliseconds for the peer (<see cref="DefaultWait"/> when not given).</summary>
    private static long Ms(TimeSpan? timeout) => (long)(timeout ?? DefaultWait).TotalMilliseconds;
}
