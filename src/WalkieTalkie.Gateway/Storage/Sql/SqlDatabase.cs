using System.Data;
using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// The gateway's tables in one relational database, whichever provider holds them: the stores in this folder write
/// one copy of each query for both, with <c>@name</c> parameters and the SQL both SQLite and PostgreSQL speak, and
/// ask the <see cref="Dialect"/> for the little that differs. Every change to the registry bumps
/// <c>config_version</c>: a change made in this process is signalled at once (<see cref="RegistryChanged"/>), one
/// made elsewhere (the CLI, another gateway) is signalled where the database can (<see cref="WatchOtherProcesses"/>,
/// <see cref="IStoreNotifications"/>) and found by reading it anyway.
/// </summary>
public abstract class SqlDatabase
{
    public abstract SqlDialect Dialect { get; }

    /// <summary>Where the tables are (a file, or a server and database), for the log and for messages.</summary>
    public abstract string Description { get; }

    /// <summary>An open connection, ready for the stores' statements.</summary>
    public abstract DbConnection Connect();

    /// <summary>
    /// An open connection whose commits are on disk when they return: the bridge's ports promise "durable when it
    /// returns" (SQLite runs its other writes with <c>synchronous = NORMAL</c>).
    /// </summary>
    public virtual DbConnection ConnectDurable() => Connect();

    internal static void Execute(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
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
        using var connection = Connect();
        return ReadConfigVersion(connection);
    }

    internal static long ReadConfigVersion(DbConnection connection)
    {
        using var command = Command(connection, "SELECT value FROM meta WHERE key = 'config_version'");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Raised after this process changed the registry, once the change is committed (on the thread that changed it).</summary>
    public event Action? RegistryChanged;

    /// <summary>
    /// Calls <paramref name="changed"/> when another process changes the registry, where the database can tell without
    /// being read (SQLite: through a watched file); null where it cannot. PostgreSQL's changes are pushed by
    /// <see cref="IStoreNotifications"/> instead.
    /// </summary>
    public virtual IDisposable? WatchOtherProcesses(Action changed) => null;

    internal void BumpConfigVersion(DbConnection connection)
    {
        Execute(connection, "UPDATE meta SET value = value + 1 WHERE key = 'config_version'");
        // Told when the connection closes, not now: a change made in a transaction is committed (or rolled back) by then,
        // so a reader woken by it reads the new version rather than the old one and then waits for the next poll.
        connection.StateChange -= OnConnectionClosedAfterChange;
        connection.StateChange += OnConnectionClosedAfterChange;
    }

    private void OnConnectionClosedAfterChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState != ConnectionState.Closed)
        {
            return;
        }

        ((DbConnection)sender).StateChange -= OnConnectionClosedAfterChange;
        OnRegistryCommitted();
    }

    /// <summary>This process's change to the registry is committed: tells its readers here (and, for SQLite, elsewhere).</summary>
    protected virtual void OnRegistryCommitted() => RegistryChanged?.Invoke();
}
