using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>
/// MSC4002 permits of badges and web devices for the CLI and the console alike: offered (time-limited or for good),
/// accepted on a badge's behalf where allowed, revoked; every change checked here or by the store, made, audited.
/// A Matrix device's permit lives in its room (<c>walkie permit grant --device</c>), not here.
/// </summary>
public sealed class PermitAdministration(IPermitStore permits, TimeProvider time, AuditTrail audit)
{
    public const long LongestSeconds = 36500L * 86400;

    public IReadOnlyList<PermitRecord> List() => permits.List();

    /// <summary>Offers <paramref name="bits"/> (of <see cref="PermitBits"/>) until <paramref name="until"/> (null: for good).</summary>
    /// <exception cref="RegistryException">The end is not later than now, no or unknown bits, a blank offerer, or the badge is not a member.</exception>
    public void Grant(AdminActor actor, string badgeId, int channel, byte bits, DateTimeOffset? until, string offeredBy, bool accepted)
    {
        if (until is { } end && end <= time.GetUtcNow())
        {
            throw new RegistryException($"the permit's end {end:u} is in the past: a permit must end later than now");
        }

        RegistryNames.Check("who offers the permit", offeredBy);
        permits.Grant(badgeId, channel, bits, until, offeredBy, accepted);
        audit.Record(actor, "permit.grant", $"{badgeId} on channel {channel}",
            $"{Describe(bits)} {(until is null ? "for good" : "until " + until.Value.ToString("u"))}{(accepted ? ", accepted" : "")}");
    }

    /// <summary>The end of a permit lasting <paramref name="seconds"/> from now; null (for good) stays null.</summary>
    /// <exception cref="RegistryException">Not 1 second to 100 years.</exception>
    public DateTimeOffset? EndAfter(long? seconds) => seconds switch
    {
        null => null,
        <= 0 or > LongestSeconds => throw new RegistryException($"a time-limited permit lasts 1-{LongestSeconds} seconds (100 years); longer: grant it for good"),
        _ => time.GetUtcNow().AddSeconds(seconds.Value),
    };

    /// <summary>Takes back the given permits (or all).</summary>
    /// <exception cref="RegistryException">The badge holds no such permit there.</exception>
    public void Revoke(AdminActor actor, string badgeId, int channel, byte bits)
    {
        if (!permits.Revoke(badgeId, channel, bits))
        {
            throw new RegistryException($"badge {badgeId} holds no such permit on channel {channel}");
        }

        audit.Record(actor, "permit.revoke", $"{badgeId} on channel {channel}", Describe(bits));
    }

    /// <summary>Accepts an offer on the badge's behalf; returns the bits it now holds.</summary>
    /// <exception cref="RegistryException">Nothing was offered.</exception>
    public byte Accept(AdminActor actor, string badgeId, int channel, byte bits)
    {
        var held = permits.Accept(badgeId, channel, bits)
            ?? throw new RegistryException($"nothing was offered to {badgeId} on channel {channel}: grant a permit first (walkie permit grant)");
        audit.Record(actor, "permit.accept", $"{badgeId} on channel {channel}", Describe(held));
        return held;
    }

    public static string Describe(byte bits) => bits switch
    {
        0 => "none",
        PermitBits.Receive => "receive",
        PermitBits.Send => "send",
        _ => "receive+send",
    };
}
