using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Storage;

/// <summary>The binary layout of each kind of saved state (version <see cref="StateFormat.Version"/>). Plaintext:
/// only <see cref="StoreKey"/> lets it leave the process, sealed.</summary>
internal static class CryptoStateCodec
{
    public static byte[] Write(OlmAccount account)
    {
        var w = new StateWriter(StateKind.OlmAccount);
        w.Bytes(account.SigningKey.Seed);
        w.Bytes(account.IdentityKey.PrivateKey);
        w.UInt64(account.NextKeyId);
        w.Count(account.OneTimeKeys.Count);
        foreach (var key in account.OneTimeKeys)
        {
            WriteKey(w, key);
        }

        WriteOptionalKey(w, account.FallbackKey);
        WriteOptionalKey(w, account.PreviousFallbackKey);
        return w.ToArray();
    }

    public static OlmAccount ReadOlmAccount(byte[] data) => Guard(() =>
    {
        var r = new StateReader(data, StateKind.OlmAccount);
        var signing = Ed25519KeyPair.FromSeed(r.Bytes(32));
        var identity = Curve25519KeyPair.FromPrivateKey(r.Bytes(32));
        var nextKeyId = r.UInt64();
        var count = r.Count(OlmAccount.MaxStoredOneTimeKeys);
        var keys = new List<OneTimeKey>(count);
        for (var i = 0; i < count; i++)
        {
            keys.Add(ReadKey(r));
        }

        var fallback = r.Bool() ? ReadKey(r) : null;
        var previous = r.Bool() ? ReadKey(r) : null;
        r.End();
        return new OlmAccount(signing, identity, keys, nextKeyId, fallback, previous);
    });

    public static byte[] Write(OlmSession session)
    {
        var w = new StateWriter(StateKind.OlmSession);
        w.Bytes(session.AliceIdentityKey);
        w.Bytes(session.AliceBaseKey);
        w.Bytes(session.BobOneTimeKey);
        w.Bytes(session.RootKey);
        w.Bool(session.ReceivedMessage);
        w.Bool(session.Sender is not null);
        if (session.Sender is { } sender)
        {
            w.Bytes(sender.RatchetKey.PrivateKey);
            WriteChain(w, sender.Chain);
        }
        w.Count(session.Receivers.Count);
        foreach (var receiver in session.Receivers)
        {
            w.Bytes(receiver.RatchetKey);
            WriteChain(w, receiver.Chain);
        }
        w.Count(session.Skipped.Count);
        foreach (var skipped in session.Skipped)
        {
            w.Bytes(skipped.RatchetKey);
            w.UInt64(skipped.Index);
            w.Bytes(skipped.MessageKey);
        }
        return w.ToArray();
    }

    public static OlmSession ReadOlmSession(byte[] data) => Guard(() =>
    {
        var r = new StateReader(data, StateKind.OlmSession);
        var aliceIdentity = r.Bytes(32);
        var aliceBase = r.Bytes(32);
        var bobOneTimeKey = r.Bytes(32);
        var root = r.Bytes(32);
        var received = r.Bool();
        SenderChain? sender = null;
        if (r.Bool())
        {
            sender = new SenderChain(Curve25519KeyPair.FromPrivateKey(r.Bytes(32)), ReadChain(r));
        }

        var receiverCount = r.Count(OlmSession.MaxReceiverChains);
        var receivers = new List<ReceiverChain>(receiverCount);
        for (var i = 0; i < receiverCount; i++)
        {
            receivers.Add(new ReceiverChain(r.Bytes(32), ReadChain(r)));
        }

        if (sender is null && receivers.Count == 0)
        {
            throw StateReader.Corrupt("an Olm session needs a sending or a receiving chain");
        }

        var skippedCount = r.Count(OlmSession.MaxSkippedMessageKeys);
        var skipped = new List<SkippedMessageKey>(skippedCount);
        for (var i = 0; i < skippedCount; i++)
        {
            skipped.Add(new SkippedMessageKey(r.Bytes(32), r.UInt64(), r.Bytes(32)));
        }

        r.End();
        return new OlmSession(aliceIdentity, aliceBase, bobOneTimeKey, root, sender, receivers, skipped, received);
    });

    public static byte[] Write(InboundGroupSession session)
    {
        var w = new StateWriter(StateKind.InboundGroupSession);
        WriteRatchet(w, session.Initial);
        WriteRatchet(w, session.Latest);
        w.Bytes(session.SigningKey);
        w.Bool(session.SigningKeyVerified);
        return w.ToArray();
    }

    public static InboundGroupSession ReadInboundGroupSession(byte[] data) => Guard(() =>
    {
        var r = new StateReader(data, StateKind.InboundGroupSession);
        var initial = ReadRatchet(r);
        var latest = ReadRatchet(r);
        var signingKey = r.Bytes(32);
        var verified = r.Bool();
        r.End();
        return new InboundGroupSession(initial, latest, signingKey, verified);
    });

    public static byte[] Write(OutboundGroupSession session)
    {
        var w = new StateWriter(StateKind.OutboundGroupSession);
        WriteRatchet(w, session.Ratchet);
        w.Bytes(session.SigningKey.Seed);
        w.Time(session.CreatedAt);
        w.UInt32((uint)session.MessageCount);
        return w.ToArray();
    }

    public static OutboundGroupSession ReadOutboundGroupSession(byte[] data) => Guard(() =>
    {
        var r = new StateReader(data, StateKind.OutboundGroupSession);
        var ratchet = ReadRatchet(r);
        var signing = Ed25519KeyPair.FromSeed(r.Bytes(32));
        var createdAt = r.Time();
        var count = r.UInt32();
        r.End();
        return new OutboundGroupSession(ratchet, signing, createdAt, (int)Math.Min(count, int.MaxValue));
    });

    public static byte[] Write(CrossSigningIdentity identity)
    {
        var w = new StateWriter(StateKind.CrossSigningIdentity);
        w.String(identity.UserId);
        w.Bytes(identity.MasterKeyPair.Seed);
        w.Bytes(identity.SelfSigningKeyPair.Seed);
        w.Bytes(identity.UserSigningKeyPair.Seed);
        return w.ToArray();
    }

    public static CrossSigningIdentity ReadCrossSigningIdentity(byte[] data) => Guard(() =>
    {
        var r = new StateReader(data, StateKind.CrossSigningIdentity);
        var userId = r.String();
        var identity = new CrossSigningIdentity(userId, Ed25519KeyPair.FromSeed(r.Bytes(32)),
            Ed25519KeyPair.FromSeed(r.Bytes(32)), Ed25519KeyPair.FromSeed(r.Bytes(32)));
        r.End();
        return identity;
    });

    private static void WriteKey(StateWriter w, OneTimeKey key)
    {
        w.String(key.KeyId);
        w.Bytes(key.Key.PrivateKey);
        w.Bool(key.Published);
        w.Time(key.CreatedAt);
    }

    private static OneTimeKey ReadKey(StateReader r) =>
        new(r.String(), Curve25519KeyPair.FromPrivateKey(r.Bytes(32)), r.Bool(), r.Time());

    private static void WriteOptionalKey(StateWriter w, OneTimeKey? key)
    {
        w.Bool(key is not null);
        if (key is not null)
        {
            WriteKey(w, key);
        }
    }

    private static void WriteChain(StateWriter w, ChainKey chain)
    {
        w.Bytes(chain.Key);
        w.UInt64(chain.Index);
    }

    private static ChainKey ReadChain(StateReader r) => new(r.Bytes(32), r.UInt64());

    private static void WriteRatchet(StateWriter w, MegolmRatchet ratchet)
    {
        w.UInt32(ratchet.Counter);
        w.Bytes(ratchet.Data);
    }

    private static MegolmRatchet ReadRatchet(StateReader r)
    {
        var counter = r.UInt32();
        return new MegolmRatchet(counter, r.Bytes(MegolmRatchet.Length));
    }

    /// <summary>Key imports inside a read may throw InvalidKey; saved state reports only CorruptState.</summary>
    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (MatrixCryptoException e) when (e.Error != CryptoError.CorruptState)
        {
            throw StateReader.Corrupt(e.Message);
        }
    }
}
