using Npgsql;
using WalkieTalkie.Gateway.Storage.Postgres;

namespace WalkieTalkie.Gateway.Tests.Support.Postgres;

/// <summary>
/// One database on the run's <see cref="PostgresServer"/> for one test class (a class fixture): classes run in
/// parallel, each in its own database; the tests of a class run one at a time and each starts from empty tables.
/// </summary>
public sealed class PostgresClassDatabase
{
    public PostgresClassDatabase()
    {
        ConnectionString = PostgresServer.Instance.CreateDatabase("walkie");
    }

    public string ConnectionString { get; }

    /// <summary>The gateway's tables made anew (whatever the previous test left is dropped), opened.</summary>
    public PostgresDatabase Fresh()
    {
        using (var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false"))
        {
            connection.Open();
            using var command = new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public", connection);
            command.ExecuteNonQuery();
        }

        return Open();
    }

    /// <summary>The database as it is, opened once more (a second gateway, a restart).</summary>
    public PostgresDatabase Open() => new(ConnectionString);
}
