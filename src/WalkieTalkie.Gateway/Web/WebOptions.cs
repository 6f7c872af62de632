using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Web;

/// <summary>The web app: the web walkie (and, later, the console) on the gateway's Kestrel (configuration section <c>Web</c>).</summary>
public sealed class WebOptions
{
    /// <summary>Serve the web walkie and its WebSocket.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The published web walkie (the folder holding <c>index.html</c> and <c>_framework/</c>); default
    /// <c>{the gateway's folder}/webwalkie</c>. Without it the API and the WebSocket still run, the pages are absent.
    /// </summary>
    public string? ClientPath { get; set; }

    /// <summary>
    /// Origins besides the gateway's own that may open the WebSocket (a reverse proxy's public name). The page is
    /// served by the gateway, so its own origin is always allowed, inside Element's iframe too.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Audio frames that may wait for one browser before its own audio is dropped (25: one second at 8 kHz).</summary>
    [Range(1, 1000)]
    public int MaxQueuedAudioFrames { get; set; } = 25;

    /// <summary>Control messages that may wait for one browser before it is disconnected.</summary>
    [Range(16, 100_000)]
    public int MaxQueuedControl { get; set; } = 256;

    /// <summary>Login attempts a client address may make a minute (local accounts and Matrix sign-ins alike).</summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>How long a web session lasts (a Matrix device proves its user again after that).</summary>
    [Range(0.01, 24 * 90)]
    public double SessionHours { get; set; } = 12;

    /// <summary>
    /// The Matrix servers whose users may sign in, by server name, with the URL of their federation API (empty: found
    /// as federation finds it: <c>/.well-known/matrix/server</c>, else port 8448). An OpenID token of any other server is refused.
    /// </summary>
    public Dictionary<string, string> MatrixServers { get; set; } = new(StringComparer.Ordinal);
}
