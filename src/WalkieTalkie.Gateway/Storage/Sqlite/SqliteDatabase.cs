using Microsoft.Data.Sqlite;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>
/// The gateway's SQLite file: registry (badges, channels, memberships, permits), recordings, unplayed queues and
/// what <c>walkie status</c> shows. The service and the CLI open the same file; WAL mode lets them work at once.
/// Every change to the registry bumps <c>config_version</c>: a change made in this process is signalled at once
/// (<see cref="RegistryChanged"/>), one made by another process is found by polling it (<see cref="SqliteRegistryChanges"/>).
/// </summary>
public sealed class SqliteDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT OR IGNORE INTO meta VALUES ('config_version', 1);
        INSERT OR IGNORE INTO meta VALUES ('next_burst_id', 1);
        CREATE TABLE IF NOT EXISTS badges (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS channels (
            number INTEGER PRIMARY KEY, name TEXT NOT NULL, sample_rate INTEGER NOT NULL, max_talk_seconds INTEGER NOT NULL,
            retention_days INTEGER NOT NULL DEFAULT 30);
        CREATE TABLE IF NOT EXISTS channel_options (
            channel INTEGER PRIMARY KEY REFERENCES channels(number) ON DELETE CASCADE, end_tone INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS memberships (
            badge_id TEXT NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
            channel INTEGER NOT NULL REFERENCES channels(number) ON DELETE CASCADE,
            PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS permits (
            badge_id TEXT NOT NULL REFERENCES badges(id) ON DELETE CASCADE, channel INTEGER NOT NULL,
            offered INTEGER NOT NULL, accepted INTEGER NOT NULL, until INTEGER NOT NULL, offered_by TEXT NOT NULL,
            offered_at INTEGER NOT NULL, offer_sent INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS recordings (
            burst_id INTEGER PRIMARY KEY, channel INTEGER NOT NULL, badge_id TEXT NOT NULL, started_at_ms INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL DEFAULT 0, frames_received INTEGER NOT NULL DEFAULT 0,
            frames_lost INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0, path TEXT NOT NULL,
            sample_rate INTEGER NOT NULL, block_bytes INTEGER NOT NULL DEFAULT 0, blocks_per_frame INTEGER NOT NULL DEFAULT 1,
            end_reason INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0, pruned INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS unplayed (
            badge_id TEXT NOT NULL, burst_id INTEGER NOT NULL, queued_at INTEGER NOT NULL, PRIMARY KEY (badge_id, burst_id));
        CREATE TABLE IF NOT EXISTS floor_decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, channel INTEGER NOT NULL, badge_id TEXT NOT NULL,
            decision TEXT NOT NULL, reason TEXT NOT NULL, burst_id INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS floor_holders (
            channel INTEGER PRIMARY KEY, badge_id TEXT NOT NULL, burst_id INTEGER NOT NULL, since_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS presence (
            badge_id TEXT PRIMARY KEY, state TEXT NOT NULL, until_s INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
            battery_pct INTEGER NOT NULL, rssi INTEGER NOT NULL, firmware TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS quiet_schedules (
            id INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL, target TEXT NOT NULL, days INTEGER NOT NULL,
            start_min INTEGER NOT NULL, end_min INTEGER NOT NULL, time_zone TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS do_not_disturb (badge_id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS zone_aps (bssid TEXT PRIMARY KEY, zone TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS badge_locations (
            badge_id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, bssid TEXT NOT NULL, rssi INTEGER NOT NULL,
            at_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL, action TEXT NOT NULL,
            target TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS emergencies (
            badge_id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, opened_at_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS last_talkers (
            badge_id TEXT NOT NULL REFERENCES badges(id) ON DELETE CASCADE, channel INTEGER NOT NULL, talker TEXT NOT NULL,
            at_ms INTEGER NOT NULL, PRIMARY KEY (badge_id, channel));
        """;

    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        CreateOwnerOnly(Path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 10 }.ToString();
        using var connection = Open();
        Execute(connection, Schema);
        AddColumn(connection, "channels", "retention_days", "INTEGER NOT NULL DEFAULT 30");
        AddColumn(connection, "recordings", "pruned", "INTEGER NOT NULL DEFAULT 0");
        AddColumn(connection, "recordings", "private_to", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "last_talkers", "matrix_user_id", "TEXT NOT NULL DEFAULT ''");
    }

    // Columns added since the table was first made: a database of an earlier version gets them at its first open.
    private static void AddColumn(SqliteConnection connection, string table, string column, string definition)
    {
        using var exists = Command(connection, $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = $column", ("$column", column));
        if (exists.ExecuteScalar() is not null)
        {
            return;
        }

        try
        {
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        }
        catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
        {
            // Another process (the CLI beside the service) added it meanwhile.
        }
    }

    public string Path { get; }

    /// <summary>
    /// The database file is made (empty, which SQLite takes as a new database) owner-only before SQLite opens it:
    /// SQLite gives its WAL and shared-memory files the database file's mode, whatever the umask. An existing file and
    /// its WAL and shared-memory files are made owner-only too (data written before the gateway did so).
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                using (OwnerOnly.Create(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
                {
                }

                return;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made meanwhile by another process (the CLI beside the service): made owner-only below.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            OwnerOnly.Restrict(file);
        }
    }

    /// <summary>An open connection with foreign keys and a busy timeout, so CLI and service wait for each other.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    internal static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// <c>AND channel IN (…)</c> for a set of channels, or nothing for null (every channel). Channel numbers are bytes,
    /// so they are written into the statement as they are.
    /// </summary>
    internal static string ChannelFilter(IReadOnlyCollection<byte>? channels) =>
        channels is null ? "" : $"AND channel IN ({string.Join(",", channels)})";

    /// <summary>The registry's change counter; the service reloads when it moves.</summary>
    public long ConfigVersion()
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT value FROM meta WHERE key = 'config_version'");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Raised after this process changed the registry (on the thread that changed it).</summary>
    public event Action? RegistryChanged;

    internal void BumpConfigVersion(SqliteConnection connection)
    {
        Execute(connection, "UPDATE meta SET value = value + 1 WHERE key = 'config_version'");
        RegistryChanged?.Invoke();
    }
}
