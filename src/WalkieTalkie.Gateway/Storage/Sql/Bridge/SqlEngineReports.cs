using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql.Bridge;

/// <summary><see cref="IEngineReportStore"/> over the <c>bridge_engine_reports</c> table, read in the order of its ids.</summary>
public class SqlEngineReports(SqlDatabase database) : IEngineReportStore
{
    /// <inheritdoc />
    public void Add(EngineReport report)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, """
            INSERT INTO bridge_engine_reports (kind, badge_id, text, number, at_ms, gateway_id)
            VALUES (@kind, @badge, @text, @number, @at, @gateway)
            """, ("kind", report.Kind), ("badge", report.BadgeId), ("text", report.Text), ("number", report.Number), ("at", report.AtMs),
            ("gateway", report.GatewayId));
    }

    /// <inheritdoc />
    public IReadOnlyList<EngineReport> Pending(int limit)
    {
        using var connection = database.Connect();
        // Up to the limit of each kind, so that many reports of one kind (presence while the homeserver is away) never
        // keep another's (an emergency) from being read.
        using var command = SqlDatabase.Command(connection, """
            SELECT id, kind, badge_id, text, number, at_ms, gateway_id FROM (
                SELECT r.*, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id) AS nth FROM bridge_engine_reports r) ranked
            WHERE nth <= @limit ORDER BY id
            """, ("limit", (long)limit));
        using var reader = command.ExecuteReader();
        var reports = new List<EngineReport>();
        while (reader.Read())
        {
            reports.Add(new EngineReport(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetString(6)));
        }

        return reports;
    }

    /// <inheritdoc />
    public void Remove(long id)
    {
        using var connection = database.ConnectDurable();
        SqlDatabase.Execute(connection, "DELETE FROM bridge_engine_reports WHERE id = @id", ("id", id));
    }
}
