namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The signal that the registry changed, whoever changed it: this process (the console, the engine taking a badge's
/// permit-accept), the <c>walkie</c> CLI in another process, or another gateway sharing the database.
/// </summary>
public interface IRegistryChanges
{
    /// <summary>Returns the registry's version once it differs from <paramref name="knownVersion"/>.</summary>
    Task<long> WaitForChangeAsync(long knownVersion, CancellationToken cancellationToken);
}
