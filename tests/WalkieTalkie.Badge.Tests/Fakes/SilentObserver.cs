using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>An observer that keeps nothing, for measuring what the badge itself allocates.</summary>
public sealed class SilentObserver : IBadgeObserver
{
    public void ModeChanged(BadgeMode from, BadgeMode to)
    {
    }

    public void Event(BadgeEvent kind, byte channel, uint burstId, int value)
    {
    }

    public void BlockCaptured(uint burstId, int sequence, int blockIndex)
    {
    }

    public void BlockPlayed(uint burstId, int sequence, int blockIndex, PullResult result)
    {
    }
}
