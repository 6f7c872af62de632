using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>Writes and reads the audit trail: every change the administration services make is recorded here after it is made.</summary>
public sealed class AuditTrail(IAuditStore store, TimeProvider time)
{
    /// <summary>The most entries one read returns.</summary>
    public const int MaxRead = 1000;

    public void Record(AdminActor actor, string action, string target, string detail = "") =>
        store.Append(new AuditRecord(time.GetUtcNow().ToUnixTimeMilliseconds(), actor.Name, actor.Via, action, target, detail));

    /// <exception cref="RegistryException"><paramref name="count"/> is not 1-<see cref="MaxRead"/>.</exception>
    public IReadOnlyList<AuditRecord> Recent(int count)
    {
        if (count is < 1 or > MaxRead)
        {
            throw new RegistryException($"the audit trail is read 1-{MaxRead} entries at a time, not {count}");
        }

        return store.Recent(count);
    }
}
