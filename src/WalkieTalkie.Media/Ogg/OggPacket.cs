namespace WalkieTalkie.Media.Ogg;

/// <summary>One packet of a logical Ogg stream, with what the page it completed on says.</summary>
/// <param name="Data">The packet's bytes.</param>
/// <param name="PageIndex">The page (0-based) on which the packet completed.</param>
/// <param name="Granule">That page's granule position (the position after the last packet completed on it).</param>
/// <param name="LastOnPage">True when no other packet completes after this one on the same page.</param>
/// <param name="FirstOnPage">True when this packet starts on the page where it completes and is the first to complete there.</param>
internal sealed record OggPacket(byte[] Data, int PageIndex, long Granule, bool LastOnPage, bool FirstOnPage);
