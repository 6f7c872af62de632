using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>Channels and their members for the CLI and the console alike: checked by the store, made, audited.</summary>
public sealed class ChannelAdministration(IChannelStore channels, AuditTrail audit)
{
    public IReadOnlyList<ChannelRecord> List() => channels.List();

    /// <exception cref="RegistryException">A value out of range, a name that is not one or is taken, or the channel exists.</exception>
    public void Add(AdminActor actor, int number, string name, int sampleRate, int maxTalkSeconds, int retentionDays)
    {
        channels.Add(number, name, sampleRate, maxTalkSeconds, retentionDays);
        audit.Record(actor, "channel.add", Target(number), $"name '{name}', {sampleRate} Hz, max talk {maxTalkSeconds} s, kept {Kept(retentionDays)}");
    }

    /// <exception cref="RegistryException">No such channel, or the name is not one or is taken.</exception>
    public void Rename(AdminActor actor, int number, string name)
    {
        channels.Rename(number, name);
        audit.Record(actor, "channel.rename", Target(number), $"name '{name}'");
    }

    /// <exception cref="RegistryException">No such channel, or a rate other than 8000 or 16000.</exception>
    public void SetSampleRate(AdminActor actor, int number, int sampleRate)
    {
        channels.SetSampleRate(number, sampleRate);
        audit.Record(actor, "channel.rate", Target(number), $"{sampleRate} Hz");
    }

    /// <exception cref="RegistryException">No such channel, or seconds out of range.</exception>
    public void SetMaxTalkSeconds(AdminActor actor, int number, int seconds)
    {
        channels.SetMaxTalkSeconds(number, seconds);
        audit.Record(actor, "channel.max-talk", Target(number), $"{seconds} s");
    }

    /// <exception cref="RegistryException">No such channel, or days out of range.</exception>
    public void SetRetention(AdminActor actor, int number, int days)
    {
        channels.SetRetention(number, days);
        audit.Record(actor, "channel.retention", Target(number), Kept(days));
    }

    /// <exception cref="RegistryException">No such channel.</exception>
    public void SetEndTone(AdminActor actor, int number, bool on)
    {
        channels.SetEndTone(number, on);
        audit.Record(actor, "channel.end-tone", Target(number), BadgeAdministration.OnOff(on));
    }

    /// <exception cref="RegistryException">No such badge or channel.</exception>
    public void Join(AdminActor actor, int number, string badgeId)
    {
        channels.Join(number, badgeId);
        audit.Record(actor, "channel.join", Target(number), $"badge {badgeId}");
    }

    /// <exception cref="RegistryException">The badge is not a member of the channel.</exception>
    public void Leave(AdminActor actor, int number, string badgeId)
    {
        channels.Leave(number, badgeId);
        audit.Record(actor, "channel.leave", Target(number), $"badge {badgeId}");
    }

    private static string Target(int number) => "channel " + number;

    private static string Kept(int days) => days == 0 ? "for good" : days + " days";
}
