namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>Blocks of burst ids reserved in the <c>meta</c> row <c>next_burst_id</c>, in one statement each.</summary>
public sealed class SqliteBurstIdReservations(SqliteDatabase database) : IBurstIdReservations
{
    public uint Reserve(int count, uint atLeast)
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection, """
            UPDATE meta SET value = MAX(value, $least) + $count WHERE key = 'next_burst_id' RETURNING value - $count
            """, ("$least", (long)atLeast), ("$count", count));
        return (uint)(long)command.ExecuteScalar()!;
    }
}
