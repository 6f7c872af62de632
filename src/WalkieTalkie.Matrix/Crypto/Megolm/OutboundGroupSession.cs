using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>Our Megolm session for a room: encrypts room events and produces the session key shared in
/// <c>m.room_key</c>. Replace it when <see cref="NeedsRotation"/> says so (or on membership changes).</summary>
public sealed class OutboundGroupSession
{
    internal OutboundGroupSession(MegolmRatchet ratchet, Ed25519KeyPair signingKey, DateTimeOffset createdAt, int messageCount)
    {
        Ratchet = ratchet;
        SigningKey = signingKey;
        CreatedAt = createdAt;
        MessageCount = messageCount;
    }

    internal MegolmRatchet Ratchet { get; }
    internal Ed25519KeyPair SigningKey { get; }

    /// <summary>When the session was created (for time-based rotation).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Messages encrypted so far (for count-based rotation).</summary>
    public int MessageCount { get; private set; }

    /// <summary>A fresh session: 128 random ratchet bytes and a new Ed25519 key.</summary>
    public static OutboundGroupSession Create(DateTimeOffset now) =>
        new(new MegolmRatchet(0, System.Security.Cryptography.RandomNumberGenerator.GetBytes(MegolmRatchet.Length)), Ed25519KeyPair.Generate(), now, 0);

    /// <summary>base64 of the session's Ed25519 public key.</summary>
    public string SessionId => SigningKey.PublicKeyBase64;

    /// <summary>The index the next message will carry.</summary>
    public uint MessageIndex => Ratchet.Counter;

    /// <summary>The signed 0x02 session key at the current index, for <c>m.room_key.session_key</c>.</summary>
    public string SessionKey => UnpaddedBase64.Encode(MegolmSessionKey.EncodeSessionKey(Ratchet, SigningKey));

    /// <summary>Encrypts a room event plaintext; returns the <c>ciphertext</c> string.</summary>
    public string Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var cipher = AesSha2Cipher.ForMegolm(Ratchet.Data);
        var body = MegolmMessage.EncodeWithoutMac(Ratchet.Counter, cipher.Encrypt(plaintext));
        byte[] signed = [.. body, .. cipher.Mac(body)];
        byte[] message = [.. signed, .. SigningKey.Sign(signed)];
        Ratchet.Advance();
        MessageCount++;
        return UnpaddedBase64.Encode(message);
    }

    /// <summary>True once the session reached the room's message count or age.</summary>
    public bool NeedsRotation(MegolmRotationPolicy policy, DateTimeOffset now) =>
        MessageCount >= policy.Messages || now - CreatedAt >= policy.Period;

    /// <summary>Saves the state sealed with the key store's key. <paramref name="context"/> (e.g. the row's id) must be
    /// given again to <see cref="Load"/>.</summary>
    public byte[] Save(Storage.StoreKey storeKey, string context = "") =>
        storeKey.Seal(Storage.StateKind.OutboundGroupSession, ToStateBytes(), context);

    /// <summary>Restores state saved with <see cref="Save"/>.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> for a wrong key or context,
    /// tampering, truncation or an unknown format version.</exception>
    public static OutboundGroupSession Load(byte[] saved, Storage.StoreKey storeKey, string context = "") =>
        FromStateBytes(storeKey.Open(Storage.StateKind.OutboundGroupSession, saved, context));

    /// <summary>The unsealed state (private keys in the clear): for the codec and its tests only.</summary>
    internal byte[] ToStateBytes() => Storage.CryptoStateCodec.Write(this);

    internal static OutboundGroupSession FromStateBytes(byte[] state) => Storage.CryptoStateCodec.ReadOutboundGroupSession(state);
}
