using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// Permits (MSC4002): offered by an admin or parent, accepted by the badge (or, where allowed, by the admin on its
/// behalf), withdrawn by the badge, revoked by the admin, or expired.
/// </summary>
public class SqlPermitStore(SqlDatabase database) : IPermitStore
{
    /// <summary>Offers <paramref name="permits"/> (bits of <see cref="PermitBits"/>) until <paramref name="until"/> (null: for good).</summary>
    public void Grant(string badgeId, int channel, byte permits, DateTimeOffset? until, string offeredBy, bool accepted)
    {
        if (permits == 0 || (permits & ~PermitBits.Known) != 0)
        {
            throw new RegistryException("permits are receive, send or both");
        }

        using var connection = database.Connect();
        if (!IsMember(connection, badgeId, channel))
        {
            throw new RegistryException($"badge '{badgeId}' is not a member of channel {channel}: walkie channel join {channel} {badgeId}");
        }

        SqlDatabase.Execute(connection, """
            INSERT INTO permits (badge_id, channel, offered, accepted, until, offered_by, offered_at, offer_sent)
            VALUES (@b, @c, @p, @a, @until, @by, @now, 0)
            ON CONFLICT (badge_id, channel) DO UPDATE SET offered = @p,
                accepted = CASE WHEN @a <> 0 THEN @a ELSE permits.accepted & @p END,
                until = @until, offered_by = @by, offered_at = @now, offer_sent = 0
            """,
            ("b", badgeId), ("c", (long)channel), ("p", (long)permits), ("a", accepted ? (long)permits : 0L),
            ("until", until?.ToUnixTimeSeconds() ?? 0), ("by", offeredBy), ("now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        database.BumpConfigVersion(connection);
    }

    /// <summary>Takes back the given permits (or all); returns false when there was nothing to revoke.</summary>
    public bool Revoke(string badgeId, int channel, byte permits = PermitBits.Known)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "UPDATE permits SET offered = offered & ~@p, accepted = accepted & ~@p WHERE badge_id = @b AND channel = @c AND offered & @p <> 0",
            ("b", badgeId), ("c", (long)channel), ("p", (long)permits));
        var changed = command.ExecuteNonQuery() > 0;
        SqlDatabase.Execute(connection, "DELETE FROM permits WHERE offered = 0");
        if (changed)
        {
            database.BumpConfigVersion(connection);
        }

        return changed;
    }

    /// <summary>The badge accepts (part of) an offer. Returns the accepted bits now held, or null when nothing was offered.</summary>
    public byte? Accept(string badgeId, int channel, byte permits) =>
        SetAccepted(badgeId, channel, "accepted | (@p & offered)", permits);

    /// <summary>The badge withdraws (part of) its acceptance.</summary>
    public byte? Withdraw(string badgeId, int channel, byte permits) =>
        SetAccepted(badgeId, channel, "accepted & ~@p", permits);

    private byte? SetAccepted(string badgeId, int channel, string expression, byte permits)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            $"UPDATE permits SET accepted = {expression} WHERE badge_id = @b AND channel = @c RETURNING accepted",
            ("b", badgeId), ("c", (long)channel), ("p", (long)permits));
        var result = command.ExecuteScalar();
        if (result is null)
        {
            return null;
        }

        database.BumpConfigVersion(connection);
        return (byte)(long)result;
    }

    public void MarkOfferSent(string badgeId, int channel)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection, "UPDATE permits SET offer_sent = 1 WHERE badge_id = @b AND channel = @c",
            ("b", badgeId), ("c", (long)channel));
    }

    public IReadOnlyList<PermitRecord> List()
    {
        using var connection = database.Connect();
        return RegistryRows.Permits(connection);
    }

    private static bool IsMember(DbConnection connection, string badgeId, int channel)
    {
        using var command = SqlDatabase.Command(connection, "SELECT 1 FROM memberships WHERE badge_id = @b AND channel = @c",
            ("b", badgeId), ("c", (long)channel));
        return command.ExecuteScalar() is not null;
    }
}
