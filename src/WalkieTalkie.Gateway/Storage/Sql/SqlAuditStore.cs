namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>The audit trail in the <c>audit</c> table.</summary>
public class SqlAuditStore(SqlDatabase database) : IAuditStore
{
    public void Append(AuditRecord entry)
    {
        using var connection = database.Connect();
        SqlDatabase.Execute(connection,
            "INSERT INTO audit (at_ms, actor, via, action, target, detail) VALUES (@at, @actor, @via, @action, @target, @detail)",
            ("at", entry.AtMs), ("actor", entry.Actor), ("via", entry.Via), ("action", entry.Action), ("target", entry.Target),
            ("detail", entry.Detail));
    }

    public IReadOnlyList<AuditRecord> Recent(int count)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "SELECT at_ms, actor, via, action, target, detail FROM audit ORDER BY id DESC LIMIT @count", ("count", count));
        using var reader = command.ExecuteReader();
        var entries = new List<AuditRecord>();
        while (reader.Read())
        {
            entries.Add(new AuditRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5)));
        }

        return entries;
    }
}
