namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// One floor per room across the gateways that serve it: a sans-I/O state machine (inputs: this site's grants and
/// ends, peer messages, peers up and down, time; outputs: <see cref="TakeOutputs"/>). It decides between sites;
/// each site's <c>FloorController</c> still decides within its site. Plain and single-threaded like the controller.
/// <para>
/// The rule: of two claims that cross (neither gateway knew of the other's when it claimed), the one with the lower
/// <see cref="ClaimKey"/> wins: the earlier claim timestamp, then the lower gateway id, then the lower burst id.
/// A site grants its own badge at once (no wait for the peers) and sends its claim; when an earlier claim arrives
/// while its own is live, it stops its own and says so; a later one it refuses (its owner stops it on seeing this
/// site's claim, which the ordered link delivers before this site's release). A site that knows of a live remote
/// claim refuses its own badges, so claims only cross within a link's delay, and the winner is never cut.
/// </para>
/// <para>
/// An emergency (SOS) claim wins over any claim that is not one, whatever their order (<see cref="ClaimKey"/>): a site
/// grants an SOS while another site's ordinary claim holds the room, and the other site stops its burst as preempted.
/// Two emergencies are ordered as any two claims.
/// </para>
/// </summary>
public sealed class SiteFloorArbiter(string ownGatewayId, TimeProvider time, SiteFloorOptions options)
{
    private readonly Dictionary<string, SiteRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeerClockEstimate> _clocks = new(StringComparer.Ordinal);
    private readonly List<SiteFloorOutput> _outputs = [];

    public string OwnGatewayId => ownGatewayId;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>What was decided since the last call, in order; the owner sends and applies it.</summary>
    public IReadOnlyList<SiteFloorOutput> TakeOutputs()
    {
        if (_outputs.Count == 0)
        {
            return [];
        }

        var taken = _outputs.ToArray();
        _outputs.Clear();
        return taken;
    }

    /// <summary>The peers linked for a room now.</summary>
    public IReadOnlyCollection<string> LinkedPeers(string roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Linked : [];

    /// <summary>True when the room has a peer linked now (only then does a grant here need the arbiter).</summary>
    public bool HasPeers(string roomId) => _rooms.TryGetValue(roomId, out var room) && room.Linked.Count > 0;

    /// <summary>The remote claim holding the room at this site, if any.</summary>
    public SiteFloorClaim? RemoteHolder(string roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Shown : null;

    /// <summary>
    /// True when the remote claim holding the room reached this gateway less than
    /// <see cref="SiteFloorOptions.CollisionWindowMs"/> before a press that reached it <paramref name="pressAgeMs"/> ago:
    /// the press crossed the claim. Arrivals on this gateway's clock need no estimate of the peer's clock; the window
    /// also covers the link's delay.
    /// </summary>
    public bool HeldByFreshClaim(string roomId, long pressAgeMs = 0) =>
        _rooms.TryGetValue(roomId, out var room) && room.Shown is { } holder
        && room.ArrivedAt.TryGetValue(holder, out var arrived) && Now - pressAgeMs - arrived < options.CollisionWindowMs;

    /// <summary>This site's live claim in the room, if any.</summary>
    public SiteFloorClaim? LocalHolder(string roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Local?.Claim : null;

    /// <summary>The last clock measurement of a peer, if any.</summary>
    public PeerClock? ClockOf(string peerGatewayId) =>
        _clocks.TryGetValue(peerGatewayId, out var clock) && clock.Measured ? clock.Report(peerGatewayId, options.MaxSkewMs) : null;

    /// <summary>
    /// This site's floor controller granted a burst in the room (<paramref name="emergency"/>: an open emergency's, SOS).
    /// Returns the remote claim that holds the room instead (the caller refuses its badge as busy), or null: the claim
    /// is this site's and was sent to the peers. An emergency claim preempts the remote claims that are not emergencies
    /// (they end here at once, <see cref="RemoteEnded"/> with <see cref="SiteFloorEndReason.Preempted"/>; their sites
    /// stop them on seeing this claim) and is refused only by another emergency's.
    /// </summary>
    public SiteFloorClaim? ClaimLocal(string roomId, uint burstId, string talker, string? talkerName, bool emergency = false)
    {
        var room = Room(roomId);
        var claim = new SiteFloorClaim(roomId, ownGatewayId, burstId, talker, talkerName, Now, emergency);
        if (room.Remote.Exists(remote => remote.Emergency || !emergency))
        {
            return room.Shown ?? Earliest(room.Remote);
        }

        foreach (var preempted in room.Remote.ToList())
        {
            Report(room, claim, preempted, duringPartition: false);
            RemoveRemote(room, preempted, SiteFloorEndReason.Preempted);
        }

        if (room.Local is { } previous)
        {
            EndLocal(roomId, previous.Claim.BurstId);
        }

        room.Local = new LocalClaim(claim, [.. room.Linked]);
        Broadcast(room, claim);
        return null;
    }

    /// <summary>This site's burst in the room ended for its own reasons (released, talk time, lease, shutdown).</summary>
    public void EndLocal(string roomId, uint burstId)
    {
        if (!_rooms.TryGetValue(roomId, out var room) || room.Local?.Claim.BurstId != burstId)
        {
            return;
        }

        FinishLocal(room, SiteFloorEndReason.Released);
        Reconsider(room);
    }

    public void OnPeerUp(string roomId, string peerGatewayId)
    {
        var room = Room(roomId);
        if (!room.Linked.Add(peerGatewayId))
        {
            return;
        }

        room.Known.Add(peerGatewayId);
        var unheard = room.Recent.Where(burst => !burst.LinkedAtClaim.Contains(peerGatewayId) && burst.EndTs != long.MaxValue)
            .TakeLast(SiteFloorWire.MaxRecent)
            .Select(burst => new SiteFloorBurst(burst.Claim.BurstId, burst.Claim.Talker, burst.Claim.ClaimTs, burst.EndTs, burst.Claim.Emergency))
            .ToList();
        Send(peerGatewayId, new SiteFloorSync(roomId, ownGatewayId, room.Local?.Claim, unheard));
        var clock = Clock(peerGatewayId);
        if (!clock.ProbePending)
        {
            Probe(peerGatewayId, roomId, clock);
        }
    }

    public void OnPeerDown(string roomId, string peerGatewayId)
    {
        if (!_rooms.TryGetValue(roomId, out var room) || !room.Linked.Remove(peerGatewayId))
        {
            return;
        }

        foreach (var claim in room.Remote.Where(c => c.GatewayId == peerGatewayId).ToList())
        {
            RemoveRemote(room, claim, SiteFloorEndReason.LinkLost);
        }

        if (!_rooms.Values.Any(r => r.Linked.Contains(peerGatewayId)) && _clocks.TryGetValue(peerGatewayId, out var clock))
        {
            clock.ProbePending = false;
        }

        Reconsider(room);
    }

    /// <summary>A message from a linked peer. Messages for rooms the peer is not linked in, or naming another gateway, are ignored.</summary>
    public void OnMessage(string peerGatewayId, SiteFloorMessage message)
    {
        if (message.GatewayId != peerGatewayId || !_rooms.TryGetValue(message.RoomId, out var room) || !room.Linked.Contains(peerGatewayId))
        {
            return;
        }

        switch (message)
        {
            case SiteFloorClaim claim:
                OnRemoteClaim(room, claim, duringPartition: false);
                break;
            case SiteFloorRelease release:
                if (room.RemoteClaim(release.GatewayId, release.BurstId) is { } released)
                {
                    RemoveRemote(room, released, release.Reason);
                }

                break;
            case SiteClockProbe probe:
                OnProbe(peerGatewayId, probe);
                break;
            case SiteFloorSync sync:
                OnSync(room, sync);
                break;
        }

        Reconsider(room);
    }

    /// <summary>Moves time on: probes the clocks that are due. Call it every second or so.</summary>
    public void Tick()
    {
        var now = time.GetUtcNow();
        foreach (var room in _rooms.Values)
        {
            foreach (var peer in room.Linked)
            {
                var clock = Clock(peer);
                if (!clock.ProbePending && now >= clock.NextProbe)
                {
                    Probe(peer, room.RoomId, clock);
                }
            }

            var keepFrom = Now - options.RecentMinutes * 60_000L;
            room.Recent.RemoveAll(burst => burst.EndTs < keepFrom);
        }
    }

    private void OnRemoteClaim(SiteRoom room, SiteFloorClaim claim, bool duringPartition)
    {
        if (room.RemoteClaim(claim.GatewayId, claim.BurstId) is not null)
        {
            return;
        }

        if (room.Local is { } local)
        {
            if (claim.Key.Beats(local.Claim.Key))
            {
                // An emergency's claim ends an ordinary burst here whenever it came; otherwise the earlier claim won a race.
                var preempted = claim.Emergency && !local.Claim.Emergency;
                Report(room, claim, local.Claim, duringPartition);
                FinishLocal(room, preempted ? SiteFloorEndReason.Preempted : SiteFloorEndReason.Collision);
                _outputs.Add(new StopLocal(room.RoomId, local.Claim.BurstId, claim, preempted));
            }
            else
            {
                // Its owner stops it on seeing this site's claim: it never plays here.
                Report(room, local.Claim, claim, duringPartition);
                return;
            }
        }

        room.Remote.Add(claim);
        room.ArrivedAt[claim] = Now;
    }

    private void OnSync(SiteRoom room, SiteFloorSync sync)
    {
        var peer = sync.GatewayId;
        var ours = room.Recent.Where(burst => !burst.LinkedAtClaim.Contains(peer)).ToList();
        if (room.Local is { } local && !local.LinkedAtClaim.Contains(peer))
        {
            ours.Add(local);
        }

        var theirs = sync.Recent.Select(burst => (Claim: new SiteFloorClaim(room.RoomId, peer, burst.BurstId, burst.Talker, null, burst.ClaimTs, burst.Emergency),
            burst.EndTs)).ToList();
        if (sync.Current is { } current)
        {
            theirs.Add((current, long.MaxValue));
        }

        // Bursts that overlapped while the two sites could not hear each other: each site compares the same pairs.
        foreach (var mine in ours)
        {
            foreach (var (claim, endTs) in theirs)
            {
                if (mine.Claim.ClaimTs < endTs && claim.ClaimTs < mine.EndTs && !(mine.EndTs == long.MaxValue && endTs == long.MaxValue))
                {
                    var (winner, loser) = mine.Claim.Key.Beats(claim.Key) ? (mine.Claim, claim) : (claim, mine.Claim);
                    Report(room, winner, loser, duringPartition: true);
                }
            }
        }

        if (sync.Current is { } live && live.GatewayId == peer)
        {
            var crossedInPartition = room.Local is { } l && !l.LinkedAtClaim.Contains(peer);
            OnRemoteClaim(room, live, crossedInPartition);
        }
    }

    private void OnProbe(string peer, SiteClockProbe probe)
    {
        var now = Now;
        if (!probe.IsAnswer)
        {
            Send(peer, new SiteClockProbe(probe.RoomId, ownGatewayId, probe.OriginTs, now, now));
            return;
        }

        var clock = Clock(peer);
        if (!clock.ProbePending || probe.OriginTs != clock.ProbeOriginTs)
        {
            return;
        }

        clock.ProbePending = false;
        clock.NextProbe = time.GetUtcNow() + TimeSpan.FromSeconds(options.ClockProbeSeconds);
        var wasWithin = clock.Measured ? clock.WithinBound(options.MaxSkewMs) : (bool?)null;
        clock.Add(probe.OriginTs, probe.ReceiveTs!.Value, probe.TransmitTs!.Value, now);
        var report = clock.Report(peer, options.MaxSkewMs);
        if (wasWithin != report.WithinBound)
        {
            _outputs.Add(report);
        }
    }

    private void Probe(string peer, string roomId, PeerClockEstimate clock)
    {
        clock.ProbePending = true;
        clock.ProbeOriginTs = Now;
        Send(peer, new SiteClockProbe(roomId, ownGatewayId, clock.ProbeOriginTs, null, null));
    }

    private void FinishLocal(SiteRoom room, SiteFloorEndReason reason)
    {
        var local = room.Local!;
        room.Local = null;
        local.EndTs = Now;
        Broadcast(room, new SiteFloorRelease(room.RoomId, ownGatewayId, local.Claim.BurstId, local.EndTs, reason));
        if (room.Known.Any(peer => !local.LinkedAtClaim.Contains(peer)))
        {
            room.Recent.Add(local);
        }
    }

    private void RemoveRemote(SiteRoom room, SiteFloorClaim claim, SiteFloorEndReason reason)
    {
        room.Remote.Remove(claim);
        room.ArrivedAt.Remove(claim);
        if (room.Shown == claim)
        {
            room.Shown = null;
            _outputs.Add(new RemoteEnded(room.RoomId, claim, reason));
        }
    }

    // What plays here: this site's claim if it has one (it beats every remote claim still kept), else the earliest remote one.
    private void Reconsider(SiteRoom room)
    {
        var next = room.Local is null && room.Remote.Count > 0 ? Earliest(room.Remote) : null;
        if (next == room.Shown)
        {
            return;
        }

        if (room.Shown is { } superseded)
        {
            _outputs.Add(new RemoteEnded(room.RoomId, superseded, SiteFloorEndReason.Collision));
        }

        room.Shown = next;
        if (next is not null)
        {
            _outputs.Add(new RemoteHolds(room.RoomId, next));
        }
    }

    private void Report(SiteRoom room, SiteFloorClaim winner, SiteFloorClaim loser, bool duringPartition)
    {
        if (room.Reported.Add((winner.Key, loser.Key)))
        {
            _outputs.Add(new SiteCollision(room.RoomId, Party(winner), Party(loser), duringPartition));
        }
    }

    private static SiteFloorParty Party(SiteFloorClaim claim) => new(claim.GatewayId, claim.BurstId, claim.Talker, claim.ClaimTs, claim.Emergency);

    private static SiteFloorClaim Earliest(List<SiteFloorClaim> claims)
    {
        var best = claims[0];
        foreach (var claim in claims)
        {
            if (claim.Key.Beats(best.Key))
            {
                best = claim;
            }
        }

        return best;
    }

    private void Broadcast(SiteRoom room, SiteFloorMessage message)
    {
        foreach (var peer in room.Linked)
        {
            Send(peer, message);
        }
    }

    private void Send(string peer, SiteFloorMessage message) => _outputs.Add(new SendToPeer(peer, message));

    private SiteRoom Room(string roomId)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            room = new SiteRoom(roomId);
            _rooms[roomId] = room;
        }

        return room;
    }

    private PeerClockEstimate Clock(string peer)
    {
        if (!_clocks.TryGetValue(peer, out var clock))
        {
            clock = new PeerClockEstimate();
            _clocks[peer] = clock;
        }

        return clock;
    }
}
