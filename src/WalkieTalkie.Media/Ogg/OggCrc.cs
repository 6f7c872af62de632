namespace WalkieTalkie.Media.Ogg;

/// <summary>
/// The CRC-32 of Ogg pages (RFC 3533): polynomial 0x04C11DB7, initial value 0, not reflected, no final XOR,
/// computed over the whole page with its CRC field read as zero. (Not the zlib CRC-32, which is reflected.)
/// </summary>
internal static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }

    /// <summary>Continues a CRC over <paramref name="bytes"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc = (crc << 8) ^ Table[(byte)(crc >> 24) ^ b];
        }

        return crc;
    }

    /// <summary>The CRC of a whole page whose CRC field is at bytes 22..25, read as zero.</summary>
    public static uint OfPage(ReadOnlySpan<byte> page)
    {
        uint crc = Update(0, page[..OggPageHeader.CrcOffset]);
        crc = Update(crc, stackalloc byte[4]);
        return Update(crc, page[(OggPageHeader.CrcOffset + 4)..]);
    }
}
