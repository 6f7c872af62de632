using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>
/// Provisioning badges for the CLI and the console alike: each change is checked by the store (one place, one
/// message), made, and audited. A running gateway sees it at once through the registry's version.
/// </summary>
public sealed class BadgeAdministration(IBadgeStore badges, AuditTrail audit)
{
    public IReadOnlyList<BadgeRecord> List() => badges.List();

    /// <summary>Adds a badge and returns its secret (shown once; only its hash is stored).</summary>
    /// <exception cref="RegistryException">Not a valid id or name, or the badge exists.</exception>
    public string Add(AdminActor actor, string id, string? name, bool priority)
    {
        var secret = badges.Add(id, name, priority);
        audit.Record(actor, "badge.add", id, $"name '{name ?? id}', priority {OnOff(priority)}");
        return secret;
    }

    /// <exception cref="RegistryException">No such badge, or not a valid name.</exception>
    public void Rename(AdminActor actor, string id, string name)
    {
        badges.Rename(id, name);
        audit.Record(actor, "badge.rename", id, $"name '{name}'");
    }

    /// <exception cref="RegistryException">No such badge.</exception>
    public void Remove(AdminActor actor, string id)
    {
        badges.Remove(id);
        audit.Record(actor, "badge.remove", id);
    }

    /// <summary>Gives the badge a new secret (returned once); the old one stops working.</summary>
    /// <exception cref="RegistryException">No such badge.</exception>
    public string RotateSecret(AdminActor actor, string id)
    {
        var secret = badges.RotateSecret(id);
        audit.Record(actor, "badge.rotate-secret", id);
        return secret;
    }

    /// <exception cref="RegistryException">No such badge.</exception>
    public void SetPriority(AdminActor actor, string id, bool priority)
    {
        badges.SetPriority(id, priority);
        audit.Record(actor, "badge.priority", id, OnOff(priority));
    }

    internal static string OnOff(bool on) => on ? "on" : "off";
}
