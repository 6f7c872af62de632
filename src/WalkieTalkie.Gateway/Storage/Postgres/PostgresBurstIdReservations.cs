namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// Blocks of burst ids reserved in the <c>meta</c> row <c>next_burst_id</c>: one UPDATE each, which PostgreSQL runs
/// under the row's lock, so gateways reserving at once get disjoint blocks.
/// </summary>
public sealed class PostgresBurstIdReservations(PostgresDatabase database) : IBurstIdReservations
{
    public uint Reserve(int count, uint atLeast)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, """
            UPDATE meta SET value = GREATEST(value, @least) + @count WHERE key = 'next_burst_id' RETURNING value - @count
            """, ("least", (long)atLeast), ("count", (long)count));
        return (uint)(long)command.ExecuteScalar()!;
    }
}
