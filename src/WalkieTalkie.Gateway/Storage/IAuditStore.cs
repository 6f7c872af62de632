namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The audit trail of administrative changes (who, when, what, from the CLI or the console), kept with the registry.
/// Only appended to: nothing in the gateway edits or deletes an entry.
/// </summary>
public interface IAuditStore
{
    void Append(AuditRecord entry);

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    IReadOnlyList<AuditRecord> Recent(int count);
}
