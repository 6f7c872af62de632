using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Permits;

/// <summary>
/// Knows which permits were in force at the last look and reports what changed, whether by a registry change
/// (grant, revoke, accept, withdraw) or by time (expiry). Calling it every second is what makes expiry take
/// effect without a restart.
/// </summary>
public sealed class PermitWatcher
{
    private readonly Dictionary<(string, byte), byte> _inForce = new();

    /// <summary>The changes since the last call; the first call only learns the current state.</summary>
    public IReadOnlyList<PermitChange> Check(RegistrySnapshot registry, DateTimeOffset now, bool firstLook = false)
    {
        var current = new Dictionary<(string, byte), byte>();
        foreach (var (badgeId, channel) in registry.Memberships)
        {
            var effective = registry.EffectivePermits(badgeId, channel, now);
            if (effective != 0)
            {
                current[(badgeId, channel)] = effective;
            }
        }

        var changes = new List<PermitChange>();
        if (!firstLook)
        {
            foreach (var key in current.Keys.Union(_inForce.Keys))
            {
                var before = _inForce.GetValueOrDefault(key);
                var after = current.GetValueOrDefault(key);
                if (before == after)
                {
                    continue;
                }

                var permit = registry.Permit(key.Item1, key.Item2);
                var expired = permit is not null && permit.IsExpired(now);
                changes.Add(new PermitChange(key.Item1, key.Item2, (byte)(before & ~after), (byte)(after & ~before),
                    expired ? RevokeReason.Expired : RevokeReason.Revoked));
            }
        }

        _inForce.Clear();
        foreach (var (key, value) in current)
        {
            _inForce[key] = value;
        }

        return changes;
    }

    public byte InForce(string badgeId, byte channel) => _inForce.GetValueOrDefault((badgeId, channel));

    /// <summary>A badge with an accepted receive permit hears the channel; with receive and send it may talk.</summary>
    public static bool MayTalk(byte permits) => (permits & (PermitBits.Receive | PermitBits.Send))
        == (PermitBits.Receive | PermitBits.Send);

    public static bool MayHear(byte permits) => (permits & PermitBits.Receive) != 0;
}
