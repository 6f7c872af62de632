using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>Open emergencies (SOS) as an admin sees them: the list, and a cancel that is audited like any change.</summary>
public sealed class EmergencyAdministration(IEmergencyStore emergencies, AuditTrail audit)
{
    public IReadOnlyList<EmergencyRecord> Open() => emergencies.List();

    /// <summary>Cancels the badge's open emergency; the running gateway tells the badge and its channels.</summary>
    /// <exception cref="RegistryException">No open emergency of that badge.</exception>
    public void Cancel(AdminActor actor, string badgeId)
    {
        emergencies.Close(badgeId);
        audit.Record(actor, "emergency.cancel", badgeId);
    }
}
