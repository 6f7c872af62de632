namespace WalkieTalkie.Media.Ogg;

/// <summary>The fixed layout of an Ogg page header (RFC 3533 section 6).</summary>
internal static class OggPageHeader
{
    /// <summary>Bytes before the lacing values.</summary>
    public const int FixedBytes = 27;

    /// <summary>Where the CRC sits.</summary>
    public const int CrcOffset = 22;

    /// <summary>The most lacing values (segments) a page may hold.</summary>
    public const int MaxSegments = 255;

    /// <summary>Header flag: the page's first packet continues one from the previous page.</summary>
    public const byte Continued = 0x01;

    /// <summary>Header flag: first page of a logical stream.</summary>
    public const byte BeginningOfStream = 0x02;

    /// <summary>Header flag: last page of a logical stream.</summary>
    public const byte EndOfStream = 0x04;

    /// <summary>The capture pattern "OggS".</summary>
    public static ReadOnlySpan<byte> CapturePattern => "OggS"u8;

    /// <summary>The granule position of a page on which no packet ends.</summary>
    public const long NoGranule = -1;
}
