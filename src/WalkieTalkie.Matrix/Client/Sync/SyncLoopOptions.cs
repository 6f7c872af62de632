using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Matrix.Client.Sync;

/// <summary>How <see cref="SyncLoop"/> polls.</summary>
public sealed record SyncLoopOptions
{
    /// <summary>How long the server may hold each long-poll.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The filter sent with every sync (<see cref="SyncFilter.Default"/>).</summary>
    public JsonObject Filter { get; init; } = SyncFilter.Default();

    /// <summary>Backoff after failures; there is no attempt limit, the loop runs until cancelled.</summary>
    public RetryPolicy Backoff { get; init; } = new() { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };
}
