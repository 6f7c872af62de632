using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// Who each badge last heard on each channel (a badge or a Matrix sender): the one a private reply goes to. Owned by
/// the engine's loop; the engine keeps a copy in storage and loads it back at start.
/// </summary>
public sealed class LastTalkers
{
    private readonly Dictionary<(string Badge, byte Channel), Talker> _talkers = new();

    public void Load(IEnumerable<LastTalkerRecord> records)
    {
        foreach (var record in records)
        {
            _talkers[(record.BadgeId, record.Channel)] = Talker.FromKey(record.TalkerKey, record.MatrixUserId);
        }
    }

    /// <summary>Notes the talker; true when it is not the one already noted (so it is worth storing).</summary>
    public bool Note(string badgeId, byte channel, Talker talker)
    {
        if (_talkers.TryGetValue((badgeId, channel), out var known) && known == talker)
        {
            return false;
        }

        _talkers[(badgeId, channel)] = talker;
        return true;
    }

    public Talker? Of(string badgeId, byte channel) => _talkers.TryGetValue((badgeId, channel), out var talker) ? talker : null;
}
