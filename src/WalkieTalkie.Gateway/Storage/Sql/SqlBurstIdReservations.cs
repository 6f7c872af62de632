namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// Blocks of burst ids reserved in the <c>meta</c> row <c>next_burst_id</c>: one UPDATE each, which the database runs
/// under the row's lock (SQLite's one writer, PostgreSQL's row lock), so gateways reserving at once get disjoint blocks.
/// </summary>
public class SqlBurstIdReservations(SqlDatabase database) : IBurstIdReservations
{
    public uint Reserve(int count, uint atLeast)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, $"""
            UPDATE meta SET value = {database.Dialect.Greatest}(value, @least) + @count WHERE key = 'next_burst_id' RETURNING value - @count
            """, ("least", (long)atLeast), ("count", (long)count));
        return (uint)(long)command.ExecuteScalar()!;
    }
}
