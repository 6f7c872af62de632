using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// Quiet hours and do-not-disturb: a quiet badge is not given bursts (they wait in its unplayed queue, and its
// unplayed list leaves them out) until its quiet ends, when it is sent the list again. Bursts that are always heard
// (a priority "override" talker now; emergencies once they exist) play through. A badge that is or was quiet is
// told so with quiet-state (its LED shows that bursts wait).
public sealed partial class GatewayEngine
{
    private readonly Dictionary<string, HashSet<byte>> _quietChannels = new();
    private readonly Dictionary<string, (byte Flags, ushort Waiting)> _quietSent = new();

    private bool HeldByQuiet(string badgeId, byte channel, bool alwaysHeard) => _registry.Quiet.Holds(badgeId, channel, alwaysHeard, Now);

    /// <summary>Finds badges whose quiet began or ended and sends them their unplayed list and quiet state.</summary>
    private async Task CheckQuietAsync()
    {
        var now = Now;
        foreach (var badge in _registry.Badges)
        {
            var quiet = _registry.ChannelsOf(badge.Id).Where(c => _registry.Quiet.IsQuiet(badge.Id, c, now)).ToHashSet();
            var before = _quietChannels.GetValueOrDefault(badge.Id) ?? [];
            if (quiet.SetEquals(before))
            {
                continue;
            }

            _quietChannels[badge.Id] = quiet;
            _logger.LogInformation("Badge {Badge} quiet on channels [{Quiet}]", badge.Id, string.Join(",", quiet.Order()));
            if (_presence.Get(badge.Id).State is not (PresenceState.Offline or PresenceState.Pocket) && ServesBadge(badge.Id))
            {
                await SendUnplayedListAsync(badge.Id);
            }
        }
    }

    /// <summary>Tells the badge whether it is quiet and how many bursts wait for that, when that changed since last told.</summary>
    private async Task SendQuietStateAsync(string badgeId, int waiting)
    {
        var quiet = _registry.ChannelsOf(badgeId).Any(c => _registry.Quiet.IsQuiet(badgeId, c, Now));
        var flags = (byte)((quiet ? QuietFlags.Quiet : 0) | (_registry.Quiet.DoNotDisturb.Contains(badgeId) ? QuietFlags.DoNotDisturb : 0));
        var state = (Flags: flags, Waiting: (ushort)Math.Min(waiting, ushort.MaxValue));
        if (_quietSent.GetValueOrDefault(badgeId) == state)
        {
            return;
        }

        _quietSent[badgeId] = state;
        await SendAsync(badgeId, new QuietState { Flags = state.Flags, Waiting = state.Waiting });
    }

    /// <summary>The wearer's long press: kept with the registry, whose reload brings it back to the engine.</summary>
    private void SetDoNotDisturb(string badgeId, bool on)
    {
        _logger.LogInformation("Badge {Badge} turned do-not-disturb {State}", badgeId, on ? "on" : "off");
        _storage.SetDoNotDisturb(badgeId, on);
    }

    /// <summary>Of a badge's unplayed queue, what it may be offered now (the rest waits for its quiet to end).</summary>
    private List<RecordingRecord> Offerable(string badgeId, IReadOnlyList<RecordingRecord> queue) =>
        queue.Where(r => !HeldByQuiet(badgeId, r.Channel, alwaysHeard: false)).ToList();
}
