using WalkieTalkie.Badge.Audio;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// Watches a badge: logs, the virtual badge's display and its latency measurement, tests. Called on the badge's
    /// thread, in the middle of a step: an implementation must return quickly.
    /// </summary>
    public interface IBadgeObserver
    {
        void ModeChanged(BadgeMode from, BadgeMode to);

        void Event(BadgeEvent kind, byte channel, uint burstId, int value);

        /// <summary>A block was captured and encoded as block <paramref name="blockIndex"/> of frame <paramref name="sequence"/>.</summary>
        void BlockCaptured(uint burstId, int sequence, int blockIndex);

        /// <summary>A block went to the speaker (for played blocks, its frame and index; otherwise -1).</summary>
        void BlockPlayed(uint burstId, int sequence, int blockIndex, PullResult result);
    }
}
