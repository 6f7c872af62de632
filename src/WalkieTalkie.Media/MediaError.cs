namespace WalkieTalkie.Media;

/// <summary>Why a voice message or a burst was refused. Carried by <see cref="MediaFormatException"/>.</summary>
public enum MediaError
{
    /// <summary>The input is empty or too short to be a file of the expected kind.</summary>
    Empty,
    /// <summary>The bytes are not an Ogg stream (no "OggS" capture pattern where a page must start).</summary>
    NotOgg,
    /// <summary>An Ogg page has a version other than 0.</summary>
    UnsupportedOggVersion,
    /// <summary>An Ogg page's CRC does not match its bytes.</summary>
    BadCrc,
    /// <summary>The file ends inside a page or a packet, or before the end-of-stream page.</summary>
    Truncated,
    /// <summary>Page sequence numbers skip, or continuation flags contradict the packets (lost or reordered pages).</summary>
    BrokenPageSequence,
    /// <summary>A second logical stream (a different serial number) is multiplexed into the file.</summary>
    MultiplexedStreams,
    /// <summary>A new stream begins after the first one ended (a chained file).</summary>
    ChainedStreams,
    /// <summary>The Ogg stream does not carry Opus (its first packet is not an OpusHead).</summary>
    NotOpus,
    /// <summary>The OpusHead or OpusTags header is malformed.</summary>
    BadOpusHeader,
    /// <summary>The Opus stream uses something this reader does not take (a channel mapping family other than 0, more than 2 channels, a major version above 0).</summary>
    UnsupportedOpusStream,
    /// <summary>A packet is larger than any valid Opus packet, or the file holds more audio than allowed.</summary>
    TooLarge,
    /// <summary>An Opus packet could not be decoded.</summary>
    CorruptAudio,
    /// <summary>The granule positions contradict the audio (end before the pre-skip, or going backwards).</summary>
    BadGranule,
    /// <summary>The burst is not a WAV file the gateway records (mono IMA ADPCM or 16-bit PCM).</summary>
    BadBurst,
    /// <summary>A sample rate is not one the path supports.</summary>
    UnsupportedSampleRate,
}
