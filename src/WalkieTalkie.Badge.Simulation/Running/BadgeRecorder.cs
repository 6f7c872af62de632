using System.Collections.Concurrent;
using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation.Hardware;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>Watches one badge: writes its log, counts what it does, and measures mouth-to-ear latency per burst.</summary>
internal sealed class BadgeRecorder(Action<string> log, RunClock clock, LatencyBoard board, WavMicrophone microphone, WavSpeaker speaker) : IBadgeObserver
{
    private readonly List<BurstReport> _bursts = [];
    private readonly List<double> _latencies = [];
    private readonly List<HeardBlock> _blocks = [];
    private readonly ConcurrentDictionary<(uint Burst, ushort Sequence), double> _arrivedAt = new();
    private BadgeController? _badge;
    private uint _burst;
    private byte _channel;
    private bool _replay;
    private bool _complete;
    private bool _receiving;

    public int BurstsTalked { get; private set; }

    public int Refusals { get; private set; }

    public void Attach(BadgeController badge) => _badge = badge;

    /// <summary>The bursts played so far; one still playing is included as incomplete.</summary>
    public IReadOnlyList<BurstReport> Bursts()
    {
        lock (_bursts)
        {
            var list = new List<BurstReport>(_bursts);
            if (_receiving)
            {
                list.Add(Report(false));
            }

            return list;
        }
    }

    public void ModeChanged(BadgeMode from, BadgeMode to)
    {
        log($"{from} -> {to}");
        if (from == BadgeMode.Receiving && _receiving)
        {
            lock (_bursts)
            {
                _bursts.Add(Report(_complete));
                _receiving = false;
            }
        }
    }

    public void Event(BadgeEvent kind, byte channel, uint burstId, int value)
    {
        switch (kind)
        {
            case BadgeEvent.FrameSent:
                board.Sent(burstId, value, clock.PreciseMilliseconds);
                return; // one a frame: counted, not logged
            case BadgeEvent.FloorGranted:
                BurstsTalked++;
                break;
            case BadgeEvent.FloorDenied:
            case BadgeEvent.GrantTimeout:
            case BadgeEvent.FloorRevoked:
                Refusals++;
                break;
            case BadgeEvent.ReceiveStarted:
                _burst = burstId;
                _channel = channel;
                _replay = value == 1;
                _complete = false;
                lock (_bursts)
                {
                    _latencies.Clear();
                    _blocks.Clear();
                }

                _receiving = true;
                break;
            case BadgeEvent.ReceiveEnded:
                _complete = true;
                break;
        }

        log(Describe(kind, channel, burstId, value));
    }

    public void BlockCaptured(uint burstId, int sequence, int blockIndex) =>
        board.Spoken(burstId, sequence, blockIndex, microphone.LastBlockSpokenAt);

    public void BlockPlayed(uint burstId, int sequence, int blockIndex, PullResult result)
    {
        var received = result is PullResult.Played or PullResult.Shortened;
        var live = received && !_replay;
        double? spoken = live && board.TryGetSpoken(burstId, sequence, blockIndex, out var spokenAt) ? spokenAt : null;
        double? arrived = received && _arrivedAt.TryGetValue((burstId, (ushort)sequence), out var at) ? at : null;
        var block = new HeardBlock(result, sequence, blockIndex, clock.PreciseMilliseconds, speaker.LastBlockSoundsAt, spoken,
            live ? board.SentAt(burstId, sequence) : null, arrived);
        lock (_bursts)
        {
            if (block.LatencyMs is { } latency)
            {
                _latencies.Add(latency);
            }

            _blocks.Add(block);
        }
    }

    /// <summary>An audio frame reached the transport (called on the transport's thread).</summary>
    public void FrameArrived(byte[] payload)
    {
        var frame = new AudioFrame();
        if (frame.Read(payload, 0, payload.Length) == ProtocolError.None)
        {
            _arrivedAt.TryAdd((frame.BurstId, frame.Sequence), clock.PreciseMilliseconds);
        }
    }

    private BurstReport Report(bool complete)
    {
        var jitter = _badge!.Jitter;
        return new BurstReport
        {
            BurstId = _burst, Channel = _channel, Replay = _replay, Complete = complete,
            FramesReceived = jitter.Received, BlocksPlayed = jitter.Played, FramesLost = jitter.Lost, FramesLate = jitter.Late,
            FramesDuplicate = jitter.Duplicate, BlocksConcealed = jitter.Concealed, BlocksSilent = jitter.Silent,
            Underruns = jitter.Underruns, BlocksShortened = jitter.Shortened, FramesSkipped = jitter.Skipped,
            FirstLatencyMs = _latencies.Count > 0 ? _latencies[0] : null,
            MeanLatencyMs = _latencies.Count > 0 ? _latencies.Average() : null,
            MaxLatencyMs = _latencies.Count > 0 ? _latencies.Max() : null,
            Blocks = [.. _blocks],
        };
    }

    private static string Describe(BadgeEvent kind, byte channel, uint burst, int value) => kind switch
    {
        BadgeEvent.Connected => $"connected (wake cause {(Badge.Hardware.WakeCause)value})",
        BadgeEvent.ConnectionLost => $"connection lost while {(BadgeMode)value}",
        BadgeEvent.FloorRequested => $"floor requested on channel {channel}{(value == 1 ? " (emergency)" : "")}",
        BadgeEvent.FloorGranted => $"floor granted on channel {channel}: burst {burst}, at most {value} s",
        BadgeEvent.FloorDenied => $"floor denied on channel {channel}: {(Protocol.Control.DenyReason)value}",
        BadgeEvent.GrantTimeout => $"no answer to the floor request after {value} ms",
        BadgeEvent.FloorRevoked => $"floor revoked (burst {burst}): {(Protocol.Control.EndReason)value}",
        BadgeEvent.MaxTalkTime => $"maximum talk time reached after {value} ms",
        BadgeEvent.TalkEnded => $"released burst {burst} after {value} frames",
        BadgeEvent.ReceiveStarted => $"playing burst {burst} on channel {channel}{(value == 1 ? " (replay)" : "")}",
        BadgeEvent.ReceiveEnded => $"played burst {burst} to its end ({value} blocks)",
        BadgeEvent.ReceiveAbandoned => $"gave up burst {burst}: its frames stopped ({value} blocks played)",
        BadgeEvent.Queued => $"burst {burst} on channel {channel} queued to play later ({value} waiting)",
        BadgeEvent.PlayRequested => $"asked for burst {burst} from the unplayed queue ({value} waiting)",
        BadgeEvent.PlayedSent => $"told the gateway burst {burst} was heard",
        BadgeEvent.ChannelSelected => $"selected channel {channel}",
        BadgeEvent.Sleeping => $"sleeping: {(Protocol.Control.SleepMode)value}",
        BadgeEvent.WakeReceived => $"woken by the gateway: {(Protocol.Control.WakeReason)value}, channel {channel}, burst {burst}",
        BadgeEvent.BadMessage => $"unreadable message: {(Protocol.ProtocolError)value}",
        _ => $"{kind}: channel {channel}, burst {burst}, value {value}",
    };
}
