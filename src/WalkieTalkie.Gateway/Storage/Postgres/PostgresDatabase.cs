using System.Data.Common;
using Npgsql;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// The gateway's tables in a PostgreSQL database that several gateways (and the CLI) share: the tables of
/// <see cref="SqlSchema"/> (integers as <c>BIGINT</c>), so the stores of <c>Storage/Sql</c> serve both, plus the
/// channels' ownership leases. Every change to the registry bumps <c>config_version</c>, as in SQLite, and sends a
/// notification (<see cref="PostgresChangeTriggers"/>) that the other gateways' <see cref="PostgresNotifications"/> hear.
/// </summary>
public sealed class PostgresDatabase : SqlDatabase, IDisposable
{
    // Taken while the schema is made, so gateways starting together do not race on CREATE TABLE IF NOT EXISTS
    // (PostgreSQL's catalog refuses the second one with a unique violation).
    private const long SchemaLock = 0x57_41_4C_4B_49_45; // "WALKIE"

    // What only PostgreSQL has: the channels' ownership leases, which only a database that gateways share needs, and
    // which process holds each gateway id (PostgresChannelLeases).
    private const string Leases = """
        CREATE TABLE IF NOT EXISTS channel_leases (
            channel BIGINT PRIMARY KEY, owner TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE IF NOT EXISTS gateway_instances (
            gateway_id TEXT PRIMARY KEY, instance TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
        """;

    /// <summary>
    /// Seconds a new connection may take to open when the connection string does not say (<c>Timeout</c>); Npgsql's own
    /// default is 15. The bridge writes a room message to its table under a Matrix device's crypto lock, and a database
    /// behind a network that drops packets would hold that lock for the whole timeout at each retry; 5 s is still
    /// several times what opening a connection takes on a LAN or to a hosted database (TLS included).
    /// </summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    private const string GssEncryptionModeKey = "GSS Encryption Mode";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;
    private readonly string _description;

    /// <summary>Opens the database at <paramref name="connectionString"/> and makes or completes its tables.</summary>
    public PostgresDatabase(string connectionString)
    {
        _description = Describe(connectionString);
        _connectionString = WithConnectDefaults(connectionString);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "SELECT pg_advisory_xact_lock(@lock)", ("lock", SchemaLock));
        Execute(connection, SqlSchema.Tables(Dialect));
        Execute(connection, Leases);
        Execute(connection, PostgresChangeTriggers.Make);
        transaction.Commit();
    }

    public override SqlDialect Dialect { get; } = new PostgresDialect();

    public override string Description => _description;

    /// <summary>Where a connection string points (<c>PostgreSQL host:port/database</c>), without its password, for messages.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL, connection string not understood";
        }
    }

    /// <summary>
    /// The connection string with <see cref="DefaultConnectTimeoutSeconds"/> as its <c>Timeout</c>, and GSS encryption
    /// off, unless it sets either itself (under any name Npgsql takes for it; <c>PGGSSENCMODE</c> counts for the latter),
    /// which is kept.
    /// </summary>
    /// <remarks>
    /// Npgsql prefers GSS encryption unless told, and an attempt that fails while preferring it is made again without,
    /// against the same deadline. Made synchronously (as the bridge's writes are) through a network that drops packets,
    /// that second attempt often never gave up (Npgsql 10.0.3, eight threads opening in turn against a listener that
    /// never answers: all eight stuck after 81 attempts; asynchronously, or with it off, none of 320). Only a site whose
    /// database uses Kerberos encryption wants it, and says so.
    /// </remarks>
    public static string WithConnectDefaults(string connectionString) =>
        WithConnectDefaults(connectionString, Environment.GetEnvironmentVariable("PGGSSENCMODE"));

    /// <param name="connectionString">The operator's connection string.</param>
    /// <param name="pgGssEncMode">The <c>PGGSSENCMODE</c> environment variable, which Npgsql reads when the connection string is silent.</param>
    internal static string WithConnectDefaults(string connectionString, string? pgGssEncMode)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's builder writes back only what was set, under its canonical names.
        var set = new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        if (!set.ContainsKey(nameof(NpgsqlConnectionStringBuilder.Timeout)))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (!set.ContainsKey(GssEncryptionModeKey) && string.IsNullOrEmpty(pgGssEncMode))
        {
            builder.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        return builder.ConnectionString;
    }

    /// <summary>How long a new connection may take to open, in seconds (see <see cref="DefaultConnectTimeoutSeconds"/>).</summary>
    public int ConnectTimeoutSeconds => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).Timeout;

    public NpgsqlConnection Open() => _dataSource.OpenConnection();

    public override DbConnection Connect() => Open();

    /// <summary>
    /// A connection of its own, outside the pool (a pooled one is reset when given back, its <c>LISTEN</c>s dropped),
    /// not opened yet, that <c>pg_stat_activity</c> shows as <paramref name="applicationName"/>.
    /// </summary>
    public NpgsqlConnection Unpooled(string applicationName) =>
        new(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, ApplicationName = applicationName }.ConnectionString);

    public void Dispose() => _dataSource.Dispose();
}
