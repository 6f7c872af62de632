using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary>
/// The moments the gateway's permit rows changed, which the mirror needs to tell the newer side. The registry's
/// <c>permits</c> table keeps no such moments (only <c>offered_at</c>, in seconds, for the offer), and every writer
/// of it (CLI, the engine's accept and withdraw, this bridge) would have to stamp them; instead the bridge keeps the
/// row as it last saw it (<c>bridge_permit_seen</c>) and dates a difference at the moment it notices it. The host
/// looks whenever the registry's change counter moves (polled each second), so a change is dated at most about a
/// second late; a revoked row (deleted from <c>permits</c>) stays here as zeros, so its revocation has a date too.
/// </summary>
public class SqlPermitChangeTimes(SqlDatabase database) : IPermitChangeTimes
{
    /// <summary>The last seen state, or null when this badge and channel were never seen.</summary>
    public SeenPermit? Find(string badgeId, string channel)
    {
        using var connection = database.ConnectDurable();
        using var command = SqlDatabase.Command(connection, """
            SELECT offered, accepted, until, grant_changed_ms, consent_changed_ms FROM bridge_permit_seen
            WHERE badge_id = @b AND channel = @c
            """, ("b", badgeId), ("c", channel));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new SeenPermit((byte)reader.GetInt64(0), (byte)reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4))
            : null;
    }

    /// <summary>
    /// Compares the row as it is now with what was seen, dates each changed half at <paramref name="nowMs"/>, saves
    /// and returns the result. A row never seen before is dated now when it holds something (the gateway's view wins
    /// at the first mirroring) and at 0 when it holds nothing (the room's view wins).
    /// </summary>
    public SeenPermit Observe(string badgeId, string channel, byte offered, byte accepted, long until, long nowMs)
    {
        var seen = Find(badgeId, channel);
        SeenPermit next;
        if (seen is null)
        {
            var grantAt = offered != 0 || until != 0 ? nowMs : 0;
            next = new SeenPermit(offered, accepted, until, grantAt, accepted != 0 ? nowMs : 0);
        }
        else
        {
            var grantChanged = seen.Offered != offered || seen.Until != until;
            var consentChanged = seen.Accepted != accepted;
            if (!grantChanged && !consentChanged)
            {
                return seen;
            }

            next = new SeenPermit(offered, accepted, until, grantChanged ? nowMs : seen.GrantChangedMs,
                consentChanged ? nowMs : seen.ConsentChangedMs);
        }
        Save(badgeId, channel, next);
        return next;
    }

    /// <summary>Records a row as the bridge itself just wrote it (from a room event), dated by the event.</summary>
    public void Save(string badgeId, string channel, SeenPermit seen)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, """
            INSERT INTO bridge_permit_seen (badge_id, channel, offered, accepted, until, grant_changed_ms, consent_changed_ms)
            VALUES (@b, @c, @o, @a, @u, @g, @k)
            ON CONFLICT (badge_id, channel) DO UPDATE SET offered = excluded.offered, accepted = excluded.accepted, until = excluded.until,
                grant_changed_ms = excluded.grant_changed_ms, consent_changed_ms = excluded.consent_changed_ms
            """, ("b", badgeId), ("c", channel), ("o", (int)seen.Offered), ("a", (int)seen.Accepted), ("u", seen.Until),
            ("g", seen.GrantChangedMs), ("k", seen.ConsentChangedMs));
    }
}
