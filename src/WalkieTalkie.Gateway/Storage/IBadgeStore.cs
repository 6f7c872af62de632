namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Provisioned badges: add (the secret is returned once), list, remove, rotate the secret, priority. Every change moves
/// the registry's version (<see cref="IRegistryChanges"/>). Calls do I/O: the engine reaches stores only through the
/// <see cref="StorageWorker"/>.
/// </summary>
public interface IBadgeStore
{
    /// <summary>Adds a badge and returns its new secret, which is not stored and cannot be shown again.</summary>
    /// <exception cref="RegistryException">Not a valid badge id or name, or the badge exists.</exception>
    string Add(string id, string? name = null, bool priority = false);

    IReadOnlyList<BadgeRecord> List();

    /// <exception cref="RegistryException">No such badge.</exception>
    void Remove(string id);

    /// <summary>Gives the badge a new secret (returned once); the old one stops working at its next connect.</summary>
    /// <exception cref="RegistryException">No such badge.</exception>
    string RotateSecret(string id);

    /// <summary>
    /// Stores <paramref name="replacement"/> as the badge's secret hash if it is still <paramref name="expected"/> (the
    /// secret was not rotated meanwhile); false when it was not.
    /// </summary>
    bool ReplaceSecretHash(string id, string expected, string replacement);

    /// <exception cref="RegistryException">No such badge.</exception>
    void SetPriority(string id, bool priority);

    /// <summary>Changes the name listeners see; the id (what the badge signs in with) stays.</summary>
    /// <exception cref="RegistryException">No such badge, or not a valid name.</exception>
    void Rename(string id, string name);
}
