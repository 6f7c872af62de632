namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// Channel leases in the shared <c>channel_leases</c> table, one row per channel, held in the name of this gateway's
/// id. Expiry is on the database's clock, so gateways whose clocks differ still agree on when a lease ran out; a lease
/// is taken or renewed in one statement, under the row's lock, so two gateways asking at once never both get it.
/// </summary>
/// <remarks>
/// Two processes started with one id would hold the same leases and both serve the channels; so each renewal also
/// holds the id itself for this process (<c>gateway_instances</c>, one row per id naming the process holding it), in
/// the same statement and for the same time, and takes or renews nothing when another live process holds the id.
/// </remarks>
public sealed class PostgresChannelLeases(PostgresDatabase database, string owner) : IChannelLeases
{
    // Marks, among the channels returned, that this process holds the id (channels are 0-255).
    private const long IdHeld = -1;

    // The bridge's lease is a row of channel_leases beyond the channels (0-255), so that it expires, is taken over and
    // is let go exactly as theirs are.
    private const long BridgeRow = 256;

    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>This gateway's name in the leases it holds (unique per running gateway).</summary>
    public string Owner { get; } = owner;

    public IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, """
            WITH id AS (
                INSERT INTO gateway_instances (gateway_id, instance, expires_at) VALUES (@owner, @instance, clock_timestamp() + @duration)
                ON CONFLICT (gateway_id) DO UPDATE SET instance = EXCLUDED.instance, expires_at = EXCLUDED.expires_at
                    WHERE gateway_instances.instance = EXCLUDED.instance OR gateway_instances.expires_at < clock_timestamp()
                RETURNING gateway_id),
            held AS (
                INSERT INTO channel_leases (channel, owner, expires_at)
                SELECT c, @owner, clock_timestamp() + @duration FROM unnest(@channels) AS c WHERE EXISTS (SELECT 1 FROM id)
                ON CONFLICT (channel) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                    WHERE channel_leases.owner = EXCLUDED.owner OR channel_leases.expires_at < clock_timestamp()
                RETURNING channel)
            SELECT @idHeld FROM id UNION ALL SELECT channel FROM held
            """, ("owner", Owner), ("instance", _instance), ("duration", duration), ("idHeld", IdHeld),
            ("channels", channels.Select(c => (long)c).ToArray()));
        using var reader = command.ExecuteReader();
        var held = new HashSet<byte>();
        var idHeld = false;
        while (reader.Read())
        {
            var value = reader.GetInt64(0);
            if (value == IdHeld)
            {
                idHeld = true;
            }
            else
            {
                held.Add((byte)value);
            }
        }

        if (!idHeld)
        {
            throw new GatewayIdInUseException(Owner, database.Description);
        }

        return held;
    }

    public bool HoldBridge(TimeSpan duration)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, """
            INSERT INTO channel_leases (channel, owner, expires_at)
            SELECT @bridge, @owner, clock_timestamp() + @duration
                WHERE EXISTS (SELECT 1 FROM gateway_instances WHERE gateway_id = @owner AND instance = @instance AND expires_at > clock_timestamp())
            ON CONFLICT (channel) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE channel_leases.owner = EXCLUDED.owner OR channel_leases.expires_at < clock_timestamp()
            RETURNING channel
            """, ("bridge", BridgeRow), ("owner", Owner), ("instance", _instance), ("duration", duration));
        return command.ExecuteScalar() is not null;
    }

    public void Release()
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        PostgresDatabase.Execute(connection, """
            DELETE FROM channel_leases WHERE owner = @owner
                AND EXISTS (SELECT 1 FROM gateway_instances WHERE gateway_id = @owner AND instance = @instance)
            """, ("owner", Owner), ("instance", _instance));
        PostgresDatabase.Execute(connection, "DELETE FROM gateway_instances WHERE gateway_id = @owner AND instance = @instance",
            ("owner", Owner), ("instance", _instance));
        transaction.Commit();
    }
}
