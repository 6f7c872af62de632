using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>One step of a symmetric chain: <c>M = HMAC(C, 0x01)</c>, <c>C' = HMAC(C, 0x02)</c>.</summary>
internal sealed record ChainKey(byte[] Key, ulong Index)
{
    public byte[] MessageKey() => Kdf.HmacOneByte(Key, 0x01);
    public ChainKey Next() => new(Kdf.HmacOneByte(Key, 0x02), Index + 1);
}

/// <summary>Our sending chain and the ratchet key pair whose public half goes in each message.</summary>
internal sealed class SenderChain(Curve25519KeyPair ratchetKey, ChainKey chain)
{
    public Curve25519KeyPair RatchetKey { get; } = ratchetKey;
    public ChainKey Chain { get; set; } = chain;
}

/// <summary>A chain the peer sends on, named by the peer's ratchet public key.</summary>
internal sealed class ReceiverChain(byte[] ratchetKey, ChainKey chain)
{
    public byte[] RatchetKey { get; } = ratchetKey;
    public ChainKey Chain { get; set; } = chain;
}

/// <summary>A message key kept for a message that has not arrived yet (out of order delivery).</summary>
internal sealed record SkippedMessageKey(byte[] RatchetKey, ulong Index, byte[] MessageKey);
