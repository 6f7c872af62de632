using System.Buffers.Binary;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// How a recording is kept at rest: the protocol's IMA ADPCM blocks, sealed with AES-256-GCM in chunks, so that a
/// file cut anywhere (kill -9, power loss) still holds an authenticated prefix, and nothing in it can be changed,
/// reordered, dropped or moved to another file unnoticed.
/// <code>
/// header (28 bytes): "WTRA", version 1, format 0x11 (IMA ADPCM), block bytes u16, sample rate u32, salt (16 random bytes)
/// chunk:             plaintext length u32, ciphertext, tag (16 bytes)
/// </code>
/// All integers little-endian. The file's key is derived from the recording key and the salt
/// (<see cref="Security.RecordingKey.ForFile"/>); chunk n's nonce is a final flag byte, three zero bytes and n as a
/// u64, and every chunk has the whole header as associated data. A finished recording ends with a chunk flagged final
/// (empty when written by the recorder): a file without one was cut short.
/// </summary>
public static class RecordingFormat
{
    public const string Extension = ".wtr";
    public const byte Version = 1;
    public const byte ImaAdpcm = 0x11;
    public const int HeaderLength = 28;
    public const int NonceLength = 12;
    public const int LengthBytes = 4;
    public const int ChunkOverhead = LengthBytes + Security.RecordingKey.TagLength;

    /// <summary>The largest chunk a reader takes (a recorder's chunk is a frame and at most a second of concealment).</summary>
    public const int MaxChunkLength = 1 << 20;

    private const int SaltOffset = 12;

    public static ReadOnlySpan<byte> Magic => "WTRA"u8;

    public static void WriteHeader(Span<byte> header, int sampleRate, int blockBytes, ReadOnlySpan<byte> salt)
    {
        Magic.CopyTo(header);
        header[4] = Version;
        header[5] = ImaAdpcm;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)blockBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)sampleRate);
        salt.CopyTo(header[SaltOffset..]);
    }

    /// <summary>Reads a header; false when the bytes are not one (another format, another version).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> file, out int sampleRate, out int blockBytes)
    {
        sampleRate = 0;
        blockBytes = 0;
        if (file.Length < HeaderLength || !file[..4].SequenceEqual(Magic) || file[4] != Version || file[5] != ImaAdpcm)
        {
            return false;
        }

        blockBytes = BinaryPrimitives.ReadUInt16LittleEndian(file[6..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        sampleRate = rate > int.MaxValue ? 0 : (int)rate;
        return Protocol.Audio.ImaAdpcm.SamplesPerBlockFor(blockBytes) > 0 && sampleRate > 0;
    }

    public static ReadOnlySpan<byte> Salt(ReadOnlySpan<byte> header) => header.Slice(SaltOffset, Security.RecordingKey.SaltLength);

    public static void Nonce(Span<byte> nonce, long index, bool final)
    {
        nonce.Clear();
        nonce[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(nonce[4..], index);
    }
}
