namespace WalkieTalkie.Media.Ogg;

/// <summary>The packets of one complete logical Ogg stream, as <see cref="OggStreamReader"/> rebuilt them.</summary>
/// <param name="Serial">The stream's serial number.</param>
/// <param name="Packets">Every packet in order.</param>
/// <param name="PageCount">Pages read.</param>
/// <param name="FinalGranule">The granule position of the end-of-stream page.</param>
internal sealed record OggStream(uint Serial, IReadOnlyList<OggPacket> Packets, int PageCount, long FinalGranule);
