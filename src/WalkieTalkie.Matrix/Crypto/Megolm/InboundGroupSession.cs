using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>A Megolm session we received: decrypts room events from its first known index on. Decryption checks
/// the Ed25519 signature and the MAC before anything changes. Replay protection is <see cref="MegolmReplayGuard"/>'s job,
/// since it needs event ids.</summary>
public sealed class InboundGroupSession
{
    internal InboundGroupSession(MegolmRatchet initial, MegolmRatchet latest, byte[] signingKey, bool signingKeyVerified)
    {
        Initial = initial;
        Latest = latest;
        SigningKey = signingKey;
        SigningKeyVerified = signingKeyVerified;
    }

    /// <summary>The earliest ratchet we know; never moves.</summary>
    internal MegolmRatchet Initial { get; }
    /// <summary>A cache of the furthest ratchet reached, to avoid re-advancing from the start.</summary>
    internal MegolmRatchet Latest { get; private set; }
    internal byte[] SigningKey { get; }

    /// <summary>True when the session came with the sender's signature over it (an <c>m.room_key</c> session key);
    /// false for an imported export (forwarded keys, backups), whose authenticity is not guaranteed.</summary>
    public bool SigningKeyVerified { get; }

    /// <summary>base64 of the session's Ed25519 public key; equals the sender's <c>session_id</c>.</summary>
    public string SessionId => UnpaddedBase64.Encode(SigningKey);

    /// <summary>The first message index this session can decrypt.</summary>
    public uint FirstKnownIndex => Initial.Counter;

    /// <summary>The Ed25519 key the messages are signed with (unpadded base64).</summary>
    public string SigningKeyBase64 => UnpaddedBase64.Encode(SigningKey);

    /// <summary>From the signed 0x02 <c>session_key</c> of an <c>m.room_key</c>.</summary>
    /// <exception cref="MatrixCryptoException">Bad base64, length or version, or <see cref="CryptoError.BadSignature"/>.</exception>
    public static InboundGroupSession FromSessionKey(string sessionKey)
    {
        var (ratchet, key) = MegolmSessionKey.DecodeSessionKey(UnpaddedBase64.Decode(sessionKey));
        return new InboundGroupSession(ratchet, ratchet.Clone(), key, signingKeyVerified: true);
    }

    /// <summary>From an unsigned 0x01 export (<c>m.forwarded_room_key</c>, key backups).</summary>
    /// <exception cref="MatrixCryptoException">Bad base64, length or version.</exception>
    public static InboundGroupSession Import(string exportedSessionKey)
    {
        var (ratchet, key) = MegolmSessionKey.DecodeExport(UnpaddedBase64.Decode(exportedSessionKey));
        return new InboundGroupSession(ratchet, ratchet.Clone(), key, signingKeyVerified: false);
    }

    /// <summary>The 0x01 export at <paramref name="index"/> (at or after <see cref="FirstKnownIndex"/>).</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownMessageIndex"/></exception>
    public string Export(uint index) => UnpaddedBase64.Encode(MegolmSessionKey.EncodeExport(RatchetAt(index), SigningKey));

    /// <summary>The 0x01 export at the first known index.</summary>
    public string Export() => Export(FirstKnownIndex);

    /// <summary>Decrypts a <c>ciphertext</c> string.</summary>
    /// <exception cref="MatrixCryptoException">Malformed input, <see cref="CryptoError.BadSignature"/>,
    /// <see cref="CryptoError.BadMac"/>, <see cref="CryptoError.UnknownMessageIndex"/>.</exception>
    public MegolmDecryptionResult Decrypt(string ciphertext) => Decrypt(UnpaddedBase64.Decode(ciphertext));

    /// <inheritdoc cref="Decrypt(string)"/>
    public MegolmDecryptionResult Decrypt(ReadOnlySpan<byte> message)
    {
        var decoded = MegolmMessage.Decode(message);
        if (!Ed25519KeyPair.Verify(SigningKey, decoded.Signed, decoded.Signature))
        {
            throw new MatrixCryptoException(CryptoError.BadSignature, "the Megolm message signature does not verify");
        }

        var ratchet = RatchetAt(decoded.MessageIndex);
        var cipher = AesSha2Cipher.ForMegolm(ratchet.Data);
        if (!cipher.VerifyMac(decoded.Authenticated, decoded.Mac))
        {
            throw new MatrixCryptoException(CryptoError.BadMac, "the Megolm message MAC does not match");
        }

        var plaintext = cipher.Decrypt(decoded.Ciphertext);
        if (ratchet.Counter >= Latest.Counter)
        {
            Latest = ratchet;
        }

        return new MegolmDecryptionResult(plaintext, decoded.MessageIndex);
    }

    private MegolmRatchet RatchetAt(uint index)
    {
        if (index < Initial.Counter)
        {
            throw new MatrixCryptoException(CryptoError.UnknownMessageIndex, $"message index {index} is before the first known index {Initial.Counter}");
        }

        var ratchet = (index >= Latest.Counter ? Latest : Initial).Clone();
        ratchet.AdvanceTo(index);
        return ratchet;
    }

    /// <summary>Saves the state sealed with the key store's key. <paramref name="context"/> (e.g. the row's id) must be
    /// given again to <see cref="Load"/>.</summary>
    public byte[] Save(Storage.StoreKey storeKey, string context = "") =>
        storeKey.Seal(Storage.StateKind.InboundGroupSession, ToStateBytes(), context);

    /// <summary>Restores state saved with <see cref="Save"/>.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> for a wrong key or context,
    /// tampering, truncation or an unknown format version.</exception>
    public static InboundGroupSession Load(byte[] saved, Storage.StoreKey storeKey, string context = "") =>
        FromStateBytes(storeKey.Open(Storage.StateKind.InboundGroupSession, saved, context));

    /// <summary>The unsealed state (private keys in the clear): for the codec and its tests only.</summary>
    internal byte[] ToStateBytes() => Storage.CryptoStateCodec.Write(this);

    internal static InboundGroupSession FromStateBytes(byte[] state) => Storage.CryptoStateCodec.ReadInboundGroupSession(state);
}
