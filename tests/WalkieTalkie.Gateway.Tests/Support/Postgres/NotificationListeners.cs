using Npgsql;
using WalkieTalkie.Gateway.Storage.Postgres;

namespace WalkieTalkie.Gateway.Tests.Support.Postgres;

/// <summary>The gateways' listening connections (<see cref="PostgresNotifications"/>) on one database, as <c>pg_stat_activity</c> shows them.</summary>
public static class NotificationListeners
{
    /// <summary>Their backends' process ids.</summary>
    public static List<int> Of(string connectionString) =>
        Pids(connectionString, "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()");

    /// <summary>Ends every one of them (<c>pg_terminate_backend</c>, as when PostgreSQL restarts); returns the ended backends' ids.</summary>
    public static List<int> Kill(string connectionString) =>
        // In the select list, so that only the rows the WHERE kept are ended.
        Pids(connectionString,
            "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()");

    private static List<int> Pids(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", PostgresNotifications.ApplicationName);
        using var reader = command.ExecuteReader();
        var pids = new List<int>();
        while (reader.Read())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }
}
