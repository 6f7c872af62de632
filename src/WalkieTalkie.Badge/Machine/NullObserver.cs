using WalkieTalkie.Badge.Audio;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>The observer of a badge nobody watches.</summary>
    internal sealed class NullObserver : IBadgeObserver
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
}
