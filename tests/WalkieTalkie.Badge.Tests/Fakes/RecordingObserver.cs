using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;

namespace WalkieTalkie.Badge.Tests.Fakes;

public sealed class RecordingObserver : IBadgeObserver
{
    public List<(BadgeMode From, BadgeMode To)> Modes { get; } = [];

    public List<(BadgeEvent Kind, byte Channel, uint Burst, int Value)> Events { get; } = [];

    public List<(uint Burst, int Sequence, int Block, PullResult Result)> Played { get; } = [];

    public int Captured { get; private set; }

    public void ModeChanged(BadgeMode from, BadgeMode to) => Modes.Add((from, to));

    public void Event(BadgeEvent kind, byte channel, uint burstId, int value) => Events.Add((kind, channel, burstId, value));

    public void BlockCaptured(uint burstId, int sequence, int blockIndex) => Captured++;

    public void BlockPlayed(uint burstId, int sequence, int blockIndex, PullResult result) => Played.Add((burstId, sequence, blockIndex, result));

    public bool Saw(BadgeEvent kind) => Events.Any(e => e.Kind == kind);
}
