namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// Channel leases in the shared <c>channel_leases</c> table, one row per channel. Expiry is on the database's clock,
/// so gateways whose clocks differ still agree on when a lease ran out; a lease is taken or renewed in one
/// statement, under the row's lock, so two gateways asking at once never both get it.
/// </summary>
public sealed class PostgresChannelLeases(PostgresDatabase database, string owner) : IChannelLeases
{
    /// <summary>This gateway's name in the leases it holds (unique per running gateway).</summary>
    public string Owner { get; } = owner;

    public IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, """
            INSERT INTO channel_leases (channel, owner, expires_at)
            SELECT c, @owner, clock_timestamp() + @duration FROM unnest(@channels) AS c
            ON CONFLICT (channel) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE channel_leases.owner = EXCLUDED.owner OR channel_leases.expires_at < clock_timestamp()
            RETURNING channel
            """, ("owner", Owner), ("duration", duration), ("channels", channels.Select(c => (long)c).ToArray()));
        using var reader = command.ExecuteReader();
        var held = new HashSet<byte>();
        while (reader.Read())
        {
            held.Add((byte)reader.GetInt64(0));
        }

        return held;
    }

    public void Release()
    {
        using var connection = database.Open();
        PostgresDatabase.Execute(connection, "DELETE FROM channel_leases WHERE owner = @owner", ("owner", Owner));
    }
}
