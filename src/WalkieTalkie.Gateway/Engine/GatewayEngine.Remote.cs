using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Engine;

// Bursts heard live from another site of a channel's room (the site link hands them over): played here as a burst
// whose talker is remote, under a burst id of this gateway, never recorded here (the talker's gateway records and
// posts it). A remote burst takes the channel's floor when it is free; one refused because a burst of this site held
// the floor waits, and plays once the floor across sites says it won (this site's burst stopped by the collision).
public sealed partial class GatewayEngine
{
    private const int MaxWaitingRemoteBursts = 16;

    private readonly Dictionary<(string Site, uint SiteBurstId), ActiveBurst> _remoteBursts = new();
    private readonly Dictionary<(string Site, uint SiteBurstId), RemoteBurstStartEvent> _remoteWaiting = new();

    /// <summary>
    /// A burst starts at gateway <paramref name="site"/> (its id there: <paramref name="siteBurstId"/>) on the room of
    /// <paramref name="channel"/>; a voice message from Matrix that site plays names its room event (<paramref name="eventId"/>).
    /// </summary>
    public void StartRemoteBurst(string site, uint siteBurstId, byte channel, string talkerName, int sampleRate, string? eventId = null) =>
        Post(new RemoteBurstStartEvent(site, siteBurstId, channel, talkerName, sampleRate, eventId));

    /// <summary>A frame of a burst at <paramref name="site"/>, unchanged (the engine readdresses a copy to its own channel and burst).</summary>
    public void RemoteFrame(string site, byte[] payload) => Post(new RemoteFrameEvent(site, payload));

    public void EndRemoteBurst(string site, uint siteBurstId) => Post(new RemoteBurstEndEvent(site, siteBurstId));

    /// <summary>The link to <paramref name="site"/> is gone: its bursts in progress end here.</summary>
    public void RemoteSiteGone(string site) => Post(new RemoteSiteGoneEvent(site));

    private async Task HandleRemoteStartAsync(RemoteBurstStartEvent e)
    {
        var channel = _registry.Channel(e.Channel);
        if (channel is null || channel.SampleRate != e.SampleRate)
        {
            _logger.LogWarning("Burst {SiteBurst} of site {Site} not played on channel {Channel}: {Problem}", e.SiteBurstId, e.Site, e.Channel,
                channel is null ? "no such channel" : $"{e.SampleRate} Hz, the channel's is {channel.SampleRate} Hz");
            return;
        }

        foreach (var (ended, cut) in _remoteBursts.Where(b => b.Value.Ended).ToArray())
        {
            _remoteBursts.Remove(ended); // its floor ran out here before its end came
            OnLiveVoiceMessageEnded(cut, wholeHere: false);
        }

        var key = (e.Site, e.SiteBurstId);
        if (_remoteBursts.TryGetValue(key, out var known) && !known.Ended)
        {
            return;
        }

        if (e.EventId is { } eventId && PlayedHere(eventId) is { } playedAs)
        {
            _logger.LogInformation("Voice message {Event} from site {Site} not played: it played here already as burst {BurstId}", eventId, e.Site, playedAs);
            return;
        }

        var talker = Talker.Remote(e.Site, e.TalkerName);
        var burstId = _floor.ReserveBurstId();
        // Another site's SOS (its claim says so) plays here as a local one does: through quiet hours, and nobody here cuts it.
        var sos = RemoteFloorHolder(channel.Number) is { Emergency: true } holder && holder.GatewayId == e.Site && holder.BurstId == e.SiteBurstId;
        if (!_floor.TakeForPlayback(channel.Number, talker.Key, burstId, TimeSpan.FromSeconds(channel.MaxTalkSeconds), sos))
        {
            Decide(channel.Number, talker.Key, "denied", "busy (remote burst " + e.SiteBurstId + ")", 0);
            if (_siteFloor is not null && _remoteWaiting.Count < MaxWaitingRemoteBursts)
            {
                _remoteWaiting[key] = e;
            }

            return;
        }

        _remoteWaiting.Remove(key);

        Decide(channel.Number, talker.Key, "granted", "remote burst " + e.SiteBurstId, burstId);
        _remoteBursts[key] = await StartBurstAsync(channel, talker, priority: false, burstId, sos, eventId: e.EventId);
        _heardLive.Note(e.Site, e.SiteBurstId);
    }

    private async Task HandleRemoteFrameAsync(RemoteFrameEvent e)
    {
        if (_frame.Read(e.Payload, 0, e.Payload.Length) != Protocol.ProtocolError.None
            || !_remoteBursts.TryGetValue((e.Site, _frame.BurstId), out var burst) || burst.Ended
            || _frame.RateCode != burst.RateCode || FrameCheck.Problem(_frame, burst.BlockBytes) is not null
            || !_floor.OnFrame(burst.Talker.Key, burst.Channel, burst.BurstId))
        {
            return; // the link checked the frame; what is left is a burst that ended here (its floor ran out)
        }

        await DeliverFrameAsync(burst, BurstFrames.Readdressed(e.Payload, _frame, burst.Channel, burst.BurstId), _frame);
    }

    /// <summary>A remote burst ends here; <paramref name="completed"/>: its site ended it (<c>burst_end</c>), it was not cut.</summary>
    private async Task HandleRemoteEndAsync(string site, uint siteBurstId, bool completed = false)
    {
        if (_remoteWaiting.Remove((site, siteBurstId), out var waiting) && waiting.EventId is { } eventId)
        {
            PlayHereInstead(waiting.Channel, eventId, "its play at site " + site + " could not be heard here");
        }

        if (!_remoteBursts.Remove((site, siteBurstId), out var burst))
        {
            return;
        }

        OnLiveVoiceMessageEnded(burst, wholeHere: completed && !burst.Ended && HeardFromItsStart(burst));
        if (burst.Ended)
        {
            return;
        }

        if (_floor.Release(burst.Talker.Key, burst.Channel, burst.BurstId) is { } end)
        {
            await EndBurstAsync(end, burst.FrameCount);
        }
    }

    /// <summary>Plays the waiting remote bursts that now hold their room's floor across sites, where the floor here is free.</summary>
    private async Task StartWaitingRemoteBurstsAsync()
    {
        foreach (var (key, waiting) in _remoteWaiting.ToArray())
        {
            if (RemoteFloorHolder(waiting.Channel) is { } holder && holder.GatewayId == key.Site && holder.BurstId == key.SiteBurstId
                && _floor.Holder(waiting.Channel) is null)
            {
                await HandleRemoteStartAsync(waiting);
            }
        }
    }

    private async Task HandleRemoteSiteGoneAsync(string site)
    {
        foreach (var key in _remoteWaiting.Keys.Where(k => k.Site == site).ToArray())
        {
            _remoteWaiting.Remove(key);
        }

        foreach (var (key, _) in _remoteBursts.Where(b => b.Key.Site == site).ToArray())
        {
            await HandleRemoteEndAsync(key.Site, key.SiteBurstId);
        }
    }
}
