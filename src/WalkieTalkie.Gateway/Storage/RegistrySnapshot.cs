using WalkieTalkie.Gateway.Quiet;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The registry as the service sees it between two reloads: read in one transaction, never changed in place, so
/// the engine can consult it without touching storage on the audio path.
/// </summary>
public sealed class RegistrySnapshot
{
    /// <summary>No badges, no channels (before the first load).</summary>
    public static readonly RegistrySnapshot Empty = new(0, [], [], [], []);

    private readonly Dictionary<string, BadgeRecord> _badges;
    private readonly Dictionary<byte, ChannelRecord> _channels;
    private readonly Dictionary<byte, string[]> _members;
    private readonly Dictionary<(string, byte), PermitRecord> _permits;

    public RegistrySnapshot(long version, IReadOnlyList<BadgeRecord> badges, IReadOnlyList<ChannelRecord> channels,
        IReadOnlyList<(string BadgeId, byte Channel)> memberships, IReadOnlyList<PermitRecord> permits, QuietRules? quiet = null,
        IReadOnlyList<EmergencyRecord>? emergencies = null)
    {
        Emergencies = emergencies ?? [];
        Quiet = quiet ?? QuietRules.None;
        Version = version;
        _badges = badges.ToDictionary(b => b.Id);
        _channels = channels.ToDictionary(c => c.Number);
        _members = memberships.GroupBy(m => m.Channel).ToDictionary(g => g.Key, g => g.Select(m => m.BadgeId).ToArray());
        _permits = permits.ToDictionary(p => (p.BadgeId, p.Channel));
        Memberships = memberships;
        Permits = permits;
    }

    public long Version { get; }

    /// <summary>Quiet-hours schedules and do-not-disturb.</summary>
    public QuietRules Quiet { get; }

    /// <summary>The open emergencies (SOS), oldest first.</summary>
    public IReadOnlyList<EmergencyRecord> Emergencies { get; }

    public IEnumerable<BadgeRecord> Badges => _badges.Values;

    public IEnumerable<ChannelRecord> Channels => _channels.Values;

    public IReadOnlyList<(string BadgeId, byte Channel)> Memberships { get; }

    public IReadOnlyList<PermitRecord> Permits { get; }

    public BadgeRecord? Badge(string id) => _badges.GetValueOrDefault(id);

    public ChannelRecord? Channel(byte number) => _channels.GetValueOrDefault(number);

    public IReadOnlyList<string> Members(byte channel) => _members.TryGetValue(channel, out var m) ? m : [];

    public bool IsMember(string badgeId, byte channel) => _permits.ContainsKey((badgeId, channel)) || Members(channel).Contains(badgeId);

    public PermitRecord? Permit(string badgeId, byte channel) => _permits.GetValueOrDefault((badgeId, channel));

    /// <summary>The permits in force for a badge on a channel now (0 when none or not a member).</summary>
    public byte EffectivePermits(string badgeId, byte channel, DateTimeOffset now) =>
        Members(channel).Contains(badgeId) ? Permit(badgeId, channel)?.Effective(now) ?? 0 : (byte)0;

    public IEnumerable<byte> ChannelsOf(string badgeId) =>
        Memberships.Where(m => m.BadgeId == badgeId).Select(m => m.Channel);
}
