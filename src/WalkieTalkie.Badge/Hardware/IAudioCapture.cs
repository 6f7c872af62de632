namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>
    /// The microphone. The badge reads one block at a time from its single thread, so a read may wait for the
    /// block being captured but never longer than one block's duration.
    /// </summary>
    public interface IAudioCapture
    {
        /// <summary>Powers the microphone up and starts capturing 16-bit mono samples at <paramref name="sampleRate"/> Hz.</summary>
        void Start(int sampleRate);

        /// <summary>Stops capturing and releases the microphone.</summary>
        void Stop();

        /// <summary>
        /// Fills <paramref name="count"/> samples of <paramref name="samples"/> from <paramref name="offset"/> with the
        /// next block. Returns false, having written nothing, when no whole block is ready yet.
        /// </summary>
        bool Read(short[] samples, int offset, int count);
    }
}
