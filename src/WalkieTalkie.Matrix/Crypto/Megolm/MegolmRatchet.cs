using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>The Megolm ratchet: a 32-bit counter and four 32-byte parts R0..R3. Part h is reseeded when the
/// counter crosses a multiple of 2^(8·(3−h)), and every lower part is rederived from it: <c>R_k = HMAC(R_h, k)</c>.</summary>
internal sealed class MegolmRatchet
{
    public const int Length = 128;
    private const int PartLength = 32;

    public MegolmRatchet(uint counter, byte[] data)
    {
        if (data.Length != Length)
        {
            throw new MatrixCryptoException(CryptoError.InvalidKey, "a Megolm ratchet is 128 bytes");
        }

        Counter = counter;
        Data = (byte[])data.Clone();
    }

    public uint Counter { get; private set; }
    public byte[] Data { get; }

    public MegolmRatchet Clone() => new(Counter, Data);

    /// <summary>Advances by one message.</summary>
    public void Advance()
    {
        Counter++;
        var h = 3;
        if (Counter % (1u << 24) == 0)
        {
            h = 0;
        }
        else if (Counter % (1u << 16) == 0)
        {
            h = 1;
        }
        else if (Counter % (1u << 8) == 0)
        {
            h = 2;
        }

        Rederive(h);
    }

    /// <summary>Advances to <paramref name="target"/> in at most 4×255 HMACs; a target below the counter wraps
    /// around 2^32.</summary>
    public void AdvanceTo(uint target)
    {
        for (var j = 0; j < 4; j++)
        {
            var shift = (3 - j) * 8;
            var steps = ((target >> shift) - (Counter >> shift)) & 0xFF;
            if (steps == 0)
            {
                if (target < Counter)
                {
                    steps = 0x100;
                }
                else
                {
                    continue;
                }
            }
            // All but the last step only move R_j; the last one also rederives R_j+1..R_3.
            for (; steps > 1; steps--)
            {
                Kdf.HmacOneByte(Part(j), (byte)j).CopyTo(Part(j));
            }

            Rederive(j);
            Counter = target & (uint)(~0UL << shift);
        }
    }

    private void Rederive(int from)
    {
        for (var k = 3; k >= from; k--)
        {
            Kdf.HmacOneByte(Part(from), (byte)k).CopyTo(Part(k));
        }
    }

    private Span<byte> Part(int index) => Data.AsSpan(index * PartLength, PartLength);
}
