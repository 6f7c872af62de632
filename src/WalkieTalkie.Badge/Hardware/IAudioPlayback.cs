namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>
    /// The speaker. It holds a small queue (about one block) ahead of what is sounding; the badge writes a block
    /// only when <see cref="CanWrite"/> says there is room, so a write never waits.
    /// </summary>
    public interface IAudioPlayback
    {
        /// <summary>Powers the amplifier up for 16-bit mono samples at <paramref name="sampleRate"/> Hz.</summary>
        void Start(int sampleRate);

        /// <summary>Lets what is queued finish and shuts the amplifier down.</summary>
        void Stop();

        /// <summary>True when one more block fits in the output queue now.</summary>
        bool CanWrite { get; }

        /// <summary>Queues <paramref name="count"/> samples from <paramref name="offset"/> for playing.</summary>
        void Write(short[] samples, int offset, int count);
    }
}
