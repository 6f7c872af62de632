namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>What <see cref="WavReader"/> found in a WAV file. Filled in place, so a reader can reuse one.</summary>
    public sealed class WavInfo
    {
        /// <summary><see cref="WavWriter.PcmFormatTag"/> (also for WAVE_FORMAT_EXTENSIBLE with a PCM subformat) or <see cref="ImaAdpcm.WavFormatTag"/>.</summary>
        public int FormatTag { get; internal set; }

        /// <summary>Always 1: only mono files are accepted.</summary>
        public int Channels { get; internal set; }

        /// <summary>Samples per second, as the file says.</summary>
        public int SampleRate { get; internal set; }

        /// <summary>Bytes per block: 2 for PCM, the IMA ADPCM block length otherwise.</summary>
        public int BlockAlign { get; internal set; }

        /// <summary>16 for PCM, 4 for IMA ADPCM.</summary>
        public int BitsPerSample { get; internal set; }

        /// <summary>Samples per block: 1 for PCM, (BlockAlign - 4) * 2 + 1 for IMA ADPCM.</summary>
        public int SamplesPerBlock { get; internal set; }

        /// <summary>Where the audio data starts in the file.</summary>
        public int DataOffset { get; internal set; }

        /// <summary>Bytes of audio data, whole blocks only (a trailing partial block is not counted).</summary>
        public int DataLength { get; internal set; }

        /// <summary>Whole blocks of data (for PCM, samples).</summary>
        public int BlockCount { get; internal set; }

        /// <summary>Samples to play: the fact chunk's count where it is set and fits, else every sample of the whole blocks.</summary>
        public int SampleCount { get; internal set; }

        /// <summary>
        /// True when the data chunk's size was 0 or ran past the end of the file (a recording whose header was
        /// never patched, for example after a crash), so the data was taken to run to the end of the file.
        /// </summary>
        public bool DataSizeInferred { get; internal set; }

        /// <summary>True for IMA ADPCM, false for PCM.</summary>
        public bool IsImaAdpcm
        {
            get { return FormatTag == ImaAdpcm.WavFormatTag; }
        }

        internal void Clear()
        {
            FormatTag = 0;
            Channels = 0;
            SampleRate = 0;
            BlockAlign = 0;
            BitsPerSample = 0;
            SamplesPerBlock = 0;
            DataOffset = 0;
            DataLength = 0;
            BlockCount = 0;
            SampleCount = 0;
            DataSizeInferred = false;
        }
    }
}
