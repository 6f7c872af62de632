namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// What <see cref="IStoreNotifications"/> tells about, by name (PostgreSQL's notification channels, sent by the triggers
/// <c>PostgresDatabase</c> makes, so every writer sends them, the CLI included).
/// </summary>
public static class StoreTopics
{
    /// <summary>The registry's <c>config_version</c> moved: badges, channels, permits, links, accounts changed.</summary>
    public const string Registry = "walkie_registry";

    /// <summary>A gateway wrote engine reports for the Matrix bridge (<c>bridge_engine_reports</c>).</summary>
    public const string EngineReports = "walkie_engine_reports";

    public static readonly IReadOnlyList<string> All = [Registry, EngineReports];
}
