using System.Data.Common;
using Microsoft.Data.Sqlite;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>
/// The gateway's SQLite file, with the tables of <see cref="SqlSchema"/>. The service and the CLI open the same file;
/// WAL mode lets them work at once.
/// Every change to the registry bumps <c>config_version</c>: a change made in this process is signalled at once
/// (<see cref="SqlDatabase.RegistryChanged"/>), one made by another process through a watched file
/// (<see cref="SqliteRegistrySignal"/>), with a slow poll of the version behind it (<see cref="SqlRegistryChanges"/>).
/// The stores are the shared ones of <c>Storage/Sql</c>; this class holds what is SQLite's own: the file, the columns
/// an older file lacks, its pragmas and its <see cref="SqliteDialect"/>.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;
    private readonly SqliteRegistrySignal _signal;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        CreateOwnerOnly(Path);
        _signal = new SqliteRegistrySignal(Path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 10 }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, SqlSchema.Tables(Dialect));
        AddColumn(connection, "channels", "retention_days", "INTEGER NOT NULL DEFAULT 30");
        AddColumn(connection, "recordings", "pruned", "INTEGER NOT NULL DEFAULT 0");
        AddColumn(connection, "recordings", "private_to", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "last_talkers", "matrix_user_id", "TEXT NOT NULL DEFAULT ''");
    }

    // Columns added since the table was first made: a database of an earlier version gets them at its first open.
    private static void AddColumn(SqliteConnection connection, string table, string column, string definition)
    {
        using var exists = Command(connection, $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = @column", ("column", column));
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

    public override SqlDialect Dialect { get; } = new SqliteDialect();

    public override string Description => Path;

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

    public override DbConnection Connect() => Open();

    public override IDisposable? WatchOtherProcesses(Action changed) => _signal.Watch(changed);

    protected override void OnRegistryCommitted()
    {
        base.OnRegistryCommitted();
        _signal.Raise();
    }

    public override DbConnection ConnectDurable()
    {
        var connection = Open();
        Execute(connection, "PRAGMA synchronous = FULL;");
        return connection;
    }
}
