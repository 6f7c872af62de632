using System.Diagnostics;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// A gateway that takes a channel over counts it as its own only once its lease's answer comes back (ChannelOwnership),
// and a press in between would go to an owner that no longer lives or does not know it is one yet: the badge would play
// the busy tone after its grant timeout and its wearer press again. So a floor request for a channel this gateway does
// not serve is kept a moment, the latest per badge, and answered if this gateway comes to serve that channel in time.
// Only a gateway that serves the channel answers (the one whose lease it is), and a kept press is forgotten as soon as
// its badge releases, asks again, talks (another gateway granted it) or goes away, so that it is never answered twice.
public sealed partial class GatewayEngine
{
    /// <summary>How long a press for a channel this gateway does not serve is kept: well inside the badge's 3 s grant timeout.</summary>
    internal static readonly TimeSpan KeptPressWindow = TimeSpan.FromSeconds(1.5);

    /// <summary>At most this many presses are kept (one per badge); the oldest goes first.</summary>
    internal const int MaxKeptPresses = 256;

    /// <summary>
    /// Past the window, a margin for the same press reaching another gateway later than it reached this one (each hears
    /// it from the broker on a connection of its own).
    /// </summary>
    internal static readonly TimeSpan AnsweredPressMargin = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, KeptPress> _keptPresses = new(StringComparer.Ordinal);

    // When this gateway last answered a press (Stopwatch timestamp; 0: never), when it shares its site with others.
    private long _lastAnsweredPress;

    /// <summary>A message about a channel another gateway serves: a floor request is kept, anything else the badge presses forgets it.</summary>
    private void NoteUnservedPress(string badgeId, ControlMessage message, long receivedAt)
    {
        if (_ownership.Alone)
        {
            return;
        }

        if (message is not FloorRequest request)
        {
            ForgetKeptPress(badgeId); // a release, a private reply's press or a permit answer: this press is over
            return;
        }

        if (!_keptPresses.ContainsKey(badgeId) && _keptPresses.Count >= MaxKeptPresses)
        {
            _keptPresses.Remove(_keptPresses.MinBy(p => p.Value.ReceivedAt).Key);
        }

        _keptPresses[badgeId] = new KeptPress(request, receivedAt);
    }

    /// <summary>The badge pressed again, released, talks or went away: a kept press of its is not to be answered any more.</summary>
    private void ForgetKeptPress(string badgeId)
    {
        if (_keptPresses.Count > 0)
        {
            _keptPresses.Remove(badgeId);
        }
    }

    /// <summary>
    /// Answers the kept presses for the channels this gateway serves now (it just gained them), each once, when they
    /// are younger than <see cref="KeptPressWindow"/> from their arrival; forgets the ones that are older.
    /// </summary>
    private async Task AnswerKeptPressesAsync()
    {
        if (_keptPresses.Count == 0)
        {
            return;
        }

        foreach (var (badgeId, kept) in _keptPresses.ToArray())
        {
            if (Stopwatch.GetElapsedTime(kept.ReceivedAt) >= KeptPressWindow)
            {
                _keptPresses.Remove(badgeId);
            }
            else if (Serves(kept.Request.Channel))
            {
                _keptPresses.Remove(badgeId);
                _logger.LogInformation("Answering badge {Badge}'s press on channel {Channel}, which came before this gateway served the channel",
                    badgeId, kept.Request.Channel);
                await RequestFloorAsync(badgeId, kept.Request, kept.ReceivedAt);
            }
        }
    }

    /// <summary>A floor request is answered here (granted or denied): another gateway may have kept the same press.</summary>
    private void NoteAnsweredPress()
    {
        if (!_ownership.Alone)
        {
            _lastAnsweredPress = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// A clean stop lets the channels' leases go once the engine stopped, and the gateway that takes a channel then
    /// answers the presses it kept that are younger than <see cref="KeptPressWindow"/>: the presses this gateway answered
    /// last among them. So the engine's stop waits, its leases still held, until its last answer is past the window
    /// (and <see cref="AnsweredPressMargin"/>): at most 2 s, and only after a press answered in that time. A press that
    /// comes meanwhile is answered by nobody here; the next owner keeps it, and answers it if it is young enough then.
    /// </summary>
    private Task OutlastAnsweredPressesAsync()
    {
        if (_lastAnsweredPress == 0)
        {
            return Task.CompletedTask;
        }

        var left = KeptPressWindow + AnsweredPressMargin - Stopwatch.GetElapsedTime(_lastAnsweredPress);
        if (left <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        _logger.LogInformation("Stopping: the channels' leases are kept {Milliseconds} ms more, until the last press answered here is too old for their next owner to answer it again",
            (int)left.TotalMilliseconds);
        return Task.Delay(left);
    }

    private sealed record KeptPress(FloorRequest Request, long ReceivedAt);
}
