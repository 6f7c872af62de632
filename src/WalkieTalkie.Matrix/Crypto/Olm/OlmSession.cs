using System.Security.Cryptography;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>An Olm session (m.olm.v1.curve25519-aes-sha2): the 3DH handshake and the double ratchet with libolm's
/// limits. Decryption works on copies and changes the session only when the MAC and the padding check pass, so a
/// rejected message leaves it as it was. Created by <see cref="OlmAccount"/>.</summary>
public sealed class OlmSession
{
    /// <summary>Receiver chains kept for late messages (libolm, vodozemac).</summary>
    public const int MaxReceiverChains = 5;
    /// <summary>Message keys kept for skipped messages; the oldest is dropped first.</summary>
    public const int MaxSkippedMessageKeys = 40;
    /// <summary>How far ahead of its chain a message may be.</summary>
    public const int MaxMessageGap = 2000;

    internal OlmSession(byte[] aliceIdentityKey, byte[] aliceBaseKey, byte[] bobOneTimeKey, byte[] rootKey,
        SenderChain? sender, List<ReceiverChain> receivers, List<SkippedMessageKey> skipped, bool receivedMessage)
    {
        AliceIdentityKey = aliceIdentityKey;
        AliceBaseKey = aliceBaseKey;
        BobOneTimeKey = bobOneTimeKey;
        RootKey = rootKey;
        Sender = sender;
        Receivers = receivers;
        Skipped = skipped;
        ReceivedMessage = receivedMessage;
    }

    internal byte[] AliceIdentityKey { get; }
    internal byte[] AliceBaseKey { get; }
    internal byte[] BobOneTimeKey { get; }
    internal byte[] RootKey { get; private set; }
    internal SenderChain? Sender { get; private set; }
    /// <summary>Newest first.</summary>
    internal List<ReceiverChain> Receivers { get; }
    /// <summary>Oldest first.</summary>
    internal List<SkippedMessageKey> Skipped { get; }
    internal bool ReceivedMessage { get; private set; }

    /// <summary>base64(SHA-256(I_A ‖ E_A ‖ E_B)): the same on both sides, and equal to libolm's.</summary>
    public string SessionId => ComputeSessionId(AliceIdentityKey, AliceBaseKey, BobOneTimeKey);

    /// <summary>True once this side has decrypted a message; until then an outbound session sends pre-key messages.</summary>
    public bool HasReceivedMessage => ReceivedMessage;

    internal static string ComputeSessionId(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> oneTimeKey)
    {
        Span<byte> input = stackalloc byte[96];
        identityKey.CopyTo(input);
        baseKey.CopyTo(input[32..]);
        oneTimeKey.CopyTo(input[64..]);
        return UnpaddedBase64.Encode(SHA256.HashData(input));
    }

    /// <summary>Alice's side: 3DH with Bob's identity and one-time key, an active sending chain.</summary>
    internal static OlmSession CreateOutbound(Curve25519KeyPair ourIdentity, byte[] theirIdentityKey, byte[] theirOneTimeKey)
    {
        var baseKey = Curve25519KeyPair.Generate();
        var secret = Concat(ourIdentity.Agree(theirOneTimeKey), baseKey.Agree(theirIdentityKey), baseKey.Agree(theirOneTimeKey));
        var (root, chain) = DeriveRoot(secret);
        var sender = new SenderChain(Curve25519KeyPair.Generate(), new ChainKey(chain, 0));
        return new OlmSession(ourIdentity.PublicKey, baseKey.PublicKey, theirOneTimeKey, root, sender, [], [], receivedMessage: false);
    }

    /// <summary>Bob's side from a pre-key message, before its inner message is decrypted.</summary>
    internal static OlmSession CreateInbound(Curve25519KeyPair ourIdentity, Curve25519KeyPair ourOneTimeKey, PreKeyMessage message)
    {
        var inner = NormalMessage.Decode(message.InnerMessage);
        var secret = Concat(ourOneTimeKey.Agree(message.IdentityKey), ourIdentity.Agree(message.BaseKey), ourOneTimeKey.Agree(message.BaseKey));
        var (root, chain) = DeriveRoot(secret);
        var receivers = new List<ReceiverChain> { new(inner.RatchetKey, new ChainKey(chain, 0)) };
        return new OlmSession(message.IdentityKey, message.BaseKey, message.OneTimeKey, root, null, receivers, [], receivedMessage: true);
    }

    /// <summary>True when <paramref name="message"/> was sent on this session (same I_A, E_A, E_B), and, if given,
    /// by <paramref name="theirIdentityKey"/> (unpadded base64). Use it to route an incoming pre-key message.</summary>
    public bool MatchesInboundSession(PreKeyMessage message, string? theirIdentityKey = null)
    {
        if (theirIdentityKey is not null && UnpaddedBase64.Encode(message.IdentityKey) != theirIdentityKey)
        {
            return false;
        }

        return message.IdentityKey.AsSpan().SequenceEqual(AliceIdentityKey)
            && message.BaseKey.AsSpan().SequenceEqual(AliceBaseKey)
            && message.OneTimeKey.AsSpan().SequenceEqual(BobOneTimeKey);
    }

    /// <summary>Encrypts; a pre-key message until this side has received a message.</summary>
    public OlmMessage Encrypt(ReadOnlySpan<byte> plaintext)
    {
        if (Sender is null)
        {
            // First send after receiving: a fresh ratchet key advances the root against the peer's newest one.
            var ratchetKey = Curve25519KeyPair.Generate();
            var (root, chain) = AdvanceRoot(RootKey, ratchetKey, Receivers[0].RatchetKey);
            RootKey = root;
            Sender = new SenderChain(ratchetKey, new ChainKey(chain, 0));
        }
        var current = Sender.Chain;
        Sender.Chain = current.Next();
        var cipher = AesSha2Cipher.ForOlm(current.MessageKey());
        var body = NormalMessage.EncodeWithoutMac(Sender.RatchetKey.PublicKey, (uint)current.Index, cipher.Encrypt(plaintext));
        var message = Concat(body, cipher.Mac(body));
        if (ReceivedMessage)
        {
            return new OlmMessage(OlmMessageType.Normal, message);
        }

        return new OlmMessage(OlmMessageType.PreKey, PreKeyMessage.Encode(BobOneTimeKey, AliceBaseKey, AliceIdentityKey, message));
    }

    /// <summary>Decrypts a message of either type. The session changes only if decryption succeeds.</summary>
    /// <exception cref="MatrixCryptoException">Malformed input, <see cref="CryptoError.SessionMismatch"/>,
    /// <see cref="CryptoError.BadMac"/>, <see cref="CryptoError.MessageKeyNotFound"/> (replay or too old),
    /// <see cref="CryptoError.MessageGapTooLarge"/>, <see cref="CryptoError.UnexpectedRatchetKey"/>,
    /// <see cref="CryptoError.NonContributoryKey"/>.</exception>
    public byte[] Decrypt(OlmMessage message)
    {
        NormalMessage inner;
        if (message.Type == OlmMessageType.PreKey)
        {
            var preKey = PreKeyMessage.Decode(message.Body);
            if (!MatchesInboundSession(preKey))
            {
                throw new MatrixCryptoException(CryptoError.SessionMismatch, "the pre-key message belongs to another session");
            }

            inner = NormalMessage.Decode(preKey.InnerMessage);
        }
        else
        {
            inner = NormalMessage.Decode(message.Body);
        }

        var plaintext = DecryptNormal(inner);
        ReceivedMessage = true;
        return plaintext;
    }

    private byte[] DecryptNormal(NormalMessage message)
    {
        var chainIndex = Receivers.FindIndex(c => c.RatchetKey.AsSpan().SequenceEqual(message.RatchetKey));
        if (chainIndex < 0)
        {
            return DecryptOnNewChain(message);
        }

        var receiver = Receivers[chainIndex];
        if (message.ChainIndex < receiver.Chain.Index)
        {
            var skippedIndex = Skipped.FindIndex(k => k.Index == message.ChainIndex && k.RatchetKey.AsSpan().SequenceEqual(message.RatchetKey));
            if (skippedIndex < 0)
            {
                throw new MatrixCryptoException(CryptoError.MessageKeyNotFound, "the message key was already used or dropped (replay or too old)");
            }

            var plaintext = DecryptWithKey(Skipped[skippedIndex].MessageKey, message);
            Skipped.RemoveAt(skippedIndex);
            return plaintext;
        }
        if (message.ChainIndex - receiver.Chain.Index > MaxMessageGap)
        {
            throw new MatrixCryptoException(CryptoError.MessageGapTooLarge, $"the message is more than {MaxMessageGap} messages ahead");
        }

        var (result, skipped, next) = DecryptOnChain(receiver.Chain, message);
        receiver.Chain = next;
        AddSkipped(skipped);
        return result;
    }

    private byte[] DecryptOnNewChain(NormalMessage message)
    {
        // Our ratchet private key is dropped once the peer has moved to a new chain; a second new chain before we
        // answer cannot be derived (libolm refuses it the same way).
        if (Sender is null)
        {
            throw new MatrixCryptoException(CryptoError.UnexpectedRatchetKey, "a new ratchet key arrived before we sent on the current one");
        }

        if (message.ChainIndex > MaxMessageGap)
        {
            throw new MatrixCryptoException(CryptoError.MessageGapTooLarge, $"the message is more than {MaxMessageGap} messages ahead");
        }

        var (root, chain) = AdvanceRoot(RootKey, Sender.RatchetKey, message.RatchetKey);
        var (plaintext, skipped, next) = DecryptOnChain(new ChainKey(chain, 0), message);
        RootKey = root;
        Receivers.Insert(0, new ReceiverChain(message.RatchetKey, next));
        if (Receivers.Count > MaxReceiverChains)
        {
            Receivers.RemoveAt(Receivers.Count - 1);
        }

        Sender = null;
        AddSkipped(skipped);
        return plaintext;
    }

    private static (byte[] Plaintext, List<SkippedMessageKey> Skipped, ChainKey Next) DecryptOnChain(ChainKey chain, NormalMessage message)
    {
        var skipped = new List<SkippedMessageKey>();
        while (chain.Index < message.ChainIndex)
        {
            // Only the newest MaxSkippedMessageKeys survive AddSkipped, so older ones are not kept here either.
            if (message.ChainIndex - chain.Index <= MaxSkippedMessageKeys)
            {
                skipped.Add(new SkippedMessageKey(message.RatchetKey, chain.Index, chain.MessageKey()));
            }

            chain = chain.Next();
        }
        var plaintext = DecryptWithKey(chain.MessageKey(), message);
        return (plaintext, skipped, chain.Next());
    }

    private static byte[] DecryptWithKey(byte[] messageKey, NormalMessage message)
    {
        var cipher = AesSha2Cipher.ForOlm(messageKey);
        if (!cipher.VerifyMac(message.Authenticated, message.Mac))
        {
            throw new MatrixCryptoException(CryptoError.BadMac, "the Olm message MAC does not match");
        }

        return cipher.Decrypt(message.Ciphertext);
    }

    private void AddSkipped(List<SkippedMessageKey> keys)
    {
        Skipped.AddRange(keys);
        if (Skipped.Count > MaxSkippedMessageKeys)
        {
            Skipped.RemoveRange(0, Skipped.Count - MaxSkippedMessageKeys);
        }
    }

    private static (byte[] Root, byte[] Chain) DeriveRoot(byte[] sharedSecret)
    {
        var output = Kdf.Hkdf(sharedSecret, [], "OLM_ROOT", 64);
        return (output[..32], output[32..]);
    }

    private static (byte[] Root, byte[] Chain) AdvanceRoot(byte[] rootKey, Curve25519KeyPair ours, byte[] theirRatchetKey)
    {
        var output = Kdf.Hkdf(ours.Agree(theirRatchetKey), rootKey, "OLM_RATCHET", 64);
        return (output[..32], output[32..]);
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }

    /// <summary>Saves the state sealed with the key store's key. <paramref name="context"/> (e.g. the row's id) must be
    /// given again to <see cref="Load"/>.</summary>
    public byte[] Save(Storage.StoreKey storeKey, string context = "") =>
        storeKey.Seal(Storage.StateKind.OlmSession, ToStateBytes(), context);

    /// <summary>Restores state saved with <see cref="Save"/>.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> for a wrong key or context,
    /// tampering, truncation or an unknown format version.</exception>
    public static OlmSession Load(byte[] saved, Storage.StoreKey storeKey, string context = "") =>
        FromStateBytes(storeKey.Open(Storage.StateKind.OlmSession, saved, context));

    /// <summary>The unsealed state (private keys in the clear): for the codec and its tests only.</summary>
    internal byte[] ToStateBytes() => Storage.CryptoStateCodec.Write(this);

    internal static OlmSession FromStateBytes(byte[] state) => Storage.CryptoStateCodec.ReadOlmSession(state);
}
