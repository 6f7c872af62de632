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
    private readonly Dictionary<byte, HashSet<string>> _memberSets;
    private readonly Dictionary<string, byte[]> _channelsOf;
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
        // Indexed once per snapshot: the engine asks "which channels is this badge in" for every badge every second, and
        // "is it a member" per listener; scanning every membership for each made a 1,000-badge site's tick quadratic.
        _memberSets = _members.ToDictionary(m => m.Key, m => m.Value.ToHashSet(StringComparer.Ordinal));
        _channelsOf = memberships.GroupBy(m => m.BadgeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Channel).ToArray(), StringComparer.Ordinal);
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

    public bool IsMember(string badgeId, byte channel) => _permits.ContainsKey((badgeId, channel)) || InMembers(badgeId, channel);

    public PermitRecord? Permit(string badgeId, byte channel) => _permits.GetValueOrDefault((badgeId, channel));

    /// <summary>The permits in force for a badge on a channel now (0 when none or not a member).</summary>
    public byte EffectivePermits(string badgeId, byte channel, DateTimeOffset now) =>
        InMembers(badgeId, channel) ? Permit(badgeId, channel)?.Effective(now) ?? 0 : (byte)0;

    /// <summary>The channels <paramref name="badgeId"/> is a member of, in the order its memberships were read.</summary>
    public IReadOnlyList<byte> ChannelsOf(string badgeId) => _channelsOf.TryGetValue(badgeId, out var channels) ? channels : [];

    private bool InMembers(string badgeId, byte channel) => _memberSets.TryGetValue(channel, out var members) && members.Contains(badgeId);
}
