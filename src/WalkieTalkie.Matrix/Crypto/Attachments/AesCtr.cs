using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WalkieTalkie.Matrix.Crypto.Attachments;

/// <summary>AES-256-CTR built on AES-ECB (.NET has no CTR mode). The counter block is the IV; v1/v2 attachments
/// increment its low 64 bits big-endian (wrapping within them), legacy v0 increments all 128 bits.</summary>
internal static class AesCtr
{
    private const int BlockSize = 16;
    private const int BlocksPerBatch = 256;

    public static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, bool fullWidthCounter)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var output = new byte[input.Length];
        var counterHigh = BinaryPrimitives.ReadUInt64BigEndian(iv);
        var counterLow = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        var counters = new byte[BlocksPerBatch * BlockSize];
        var keystream = new byte[counters.Length];
        for (var offset = 0; offset < input.Length; offset += counters.Length)
        {
            var blocks = Math.Min(BlocksPerBatch, (input.Length - offset + BlockSize - 1) / BlockSize);
            for (var b = 0; b < blocks; b++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(counters.AsSpan(b * BlockSize), counterHigh);
                BinaryPrimitives.WriteUInt64BigEndian(counters.AsSpan(b * BlockSize + 8), counterLow);
                counterLow++;
                if (counterLow == 0 && fullWidthCounter)
                {
                    counterHigh++;
                }
            }
            aes.EncryptEcb(counters.AsSpan(0, blocks * BlockSize), keystream, PaddingMode.None);
            var count = Math.Min(counters.Length, input.Length - offset);
            for (var i = 0; i < count; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
            }
        }
        return output;
    }
}
