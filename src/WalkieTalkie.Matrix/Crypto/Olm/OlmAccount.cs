using System.Buffers.Binary;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>An Olm account: the device's Curve25519 and Ed25519 identity keys, its one-time keys and at most two
/// fallback keys (current and previous). It signs device keys and key uploads and creates Olm sessions.</summary>
public sealed class OlmAccount
{
    /// <summary>Private one-time keys kept; generating more drops the oldest (libolm keeps 100).</summary>
    public const int MaxStoredOneTimeKeys = 100;
    /// <summary>How many one-time keys to keep on the server (vodozemac <c>max_number_of_one_time_keys</c>).</summary>
    public const int MaxServerOneTimeKeys = 50;
    /// <summary>The algorithms a device of ours advertises.</summary>
    public static readonly string[] Algorithms = ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"];

    internal OlmAccount(Ed25519KeyPair signingKey, Curve25519KeyPair identityKey, List<OneTimeKey> oneTimeKeys,
        ulong nextKeyId, OneTimeKey? fallbackKey, OneTimeKey? previousFallbackKey)
    {
        SigningKey = signingKey;
        IdentityKey = identityKey;
        OneTimeKeys = oneTimeKeys;
        NextKeyId = nextKeyId;
        FallbackKey = fallbackKey;
        PreviousFallbackKey = previousFallbackKey;
    }

    internal Ed25519KeyPair SigningKey { get; }
    internal Curve25519KeyPair IdentityKey { get; }
    /// <summary>Oldest first.</summary>
    internal List<OneTimeKey> OneTimeKeys { get; }
    internal ulong NextKeyId { get; private set; }
    internal OneTimeKey? FallbackKey { get; private set; }
    internal OneTimeKey? PreviousFallbackKey { get; private set; }

    /// <summary>A new account with fresh identity keys and no one-time keys.</summary>
    public static OlmAccount Create() => new(Ed25519KeyPair.Generate(), Curve25519KeyPair.Generate(), [], 1, null, null);

    /// <summary>The device's Curve25519 identity key, unpadded base64.</summary>
    public string Curve25519Key => UnpaddedBase64.Encode(IdentityKey.PublicKey);

    /// <summary>The device's Ed25519 fingerprint key, unpadded base64.</summary>
    public string Ed25519Key => SigningKey.PublicKeyBase64;

    /// <summary>Signs raw bytes with the device's Ed25519 key.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SigningKey.Sign(message);

    /// <summary>Signs a JSON object in place as <c>signatures[userId]["ed25519:deviceId"]</c>.</summary>
    public void SignJson(JsonObject value, string userId, string deviceId) => JsonSigning.Sign(value, userId, deviceId, SigningKey);

    /// <summary>The self-signed <c>device_keys</c> object for <c>/keys/upload</c>.</summary>
    public JsonObject DeviceKeys(string userId, string deviceId)
    {
        var keys = new JsonObject
        {
            ["user_id"] = userId,
            ["device_id"] = deviceId,
            ["algorithms"] = new JsonArray(Algorithms.Select(a => (JsonNode)a).ToArray()),
            ["keys"] = new JsonObject
            {
                ["curve25519:" + deviceId] = Curve25519Key,
                ["ed25519:" + deviceId] = Ed25519Key,
            },
        };
        SignJson(keys, userId, deviceId);
        return keys;
    }

    /// <summary>Creates <paramref name="count"/> one-time keys; returns their ids and public keys.</summary>
    public IReadOnlyDictionary<string, string> GenerateOneTimeKeys(int count, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var created = new Dictionary<string, string>();
        for (var i = 0; i < count; i++)
        {
            var key = new OneTimeKey(NewKeyId(), Curve25519KeyPair.Generate(), false, now);
            OneTimeKeys.Add(key);
            created[key.KeyId] = key.PublicKeyBase64;
        }
        if (OneTimeKeys.Count > MaxStoredOneTimeKeys)
        {
            OneTimeKeys.RemoveRange(0, OneTimeKeys.Count - MaxStoredOneTimeKeys);
        }

        return created;
    }

    /// <summary>One-time keys not yet marked published, by key id.</summary>
    public IReadOnlyDictionary<string, string> UnpublishedOneTimeKeys =>
        OneTimeKeys.Where(k => !k.Published).ToDictionary(k => k.KeyId, k => k.PublicKeyBase64);

    /// <summary>How many private one-time keys the account holds.</summary>
    public int StoredOneTimeKeyCount => OneTimeKeys.Count;

    /// <summary>Makes a new fallback key current; the old current one becomes previous, and the one before is forgotten.</summary>
    public void GenerateFallbackKey(DateTimeOffset now)
    {
        PreviousFallbackKey = FallbackKey;
        FallbackKey = new OneTimeKey(NewKeyId(), Curve25519KeyPair.Generate(), false, now);
    }

    /// <summary>Drops the previous fallback key (call a while after the new one is uploaded, as the spec advises).</summary>
    public bool ForgetPreviousFallbackKey()
    {
        var had = PreviousFallbackKey is not null;
        PreviousFallbackKey = null;
        return had;
    }

    /// <summary>When the current fallback key was made, if there is one.</summary>
    public DateTimeOffset? FallbackKeyCreatedAt => FallbackKey?.CreatedAt;

    /// <summary>True while a previous fallback key is still held.</summary>
    public bool HasPreviousFallbackKey => PreviousFallbackKey is not null;

    /// <summary>The current fallback key if it was not yet published: (key id, public key).</summary>
    public KeyValuePair<string, string>? UnpublishedFallbackKey =>
        FallbackKey is { Published: false } k ? new KeyValuePair<string, string>(k.KeyId, k.PublicKeyBase64) : null;

    /// <summary>Marks all one-time keys and the fallback key as uploaded.</summary>
    public void MarkKeysAsPublished()
    {
        foreach (var key in OneTimeKeys)
        {
            key.Published = true;
        }

        if (FallbackKey is not null)
        {
            FallbackKey.Published = true;
        }
    }

    /// <summary>The signed <c>signed_curve25519:&lt;id&gt;</c> objects for the unpublished one-time keys and fallback key,
    /// as <c>/keys/upload</c> wants them (<c>"fallback": true</c> is inside the signed object).</summary>
    public (JsonObject OneTimeKeys, JsonObject FallbackKeys) SignedUnpublishedKeys(string userId, string deviceId)
    {
        var oneTime = new JsonObject();
        foreach (var (id, key) in UnpublishedOneTimeKeys)
        {
            var signed = new JsonObject { ["key"] = key };
            SignJson(signed, userId, deviceId);
            oneTime["signed_curve25519:" + id] = signed;
        }
        var fallback = new JsonObject();
        if (UnpublishedFallbackKey is { } f)
        {
            var signed = new JsonObject { ["key"] = f.Value, ["fallback"] = true };
            SignJson(signed, userId, deviceId);
            fallback["signed_curve25519:" + f.Key] = signed;
        }
        return (oneTime, fallback);
    }

    /// <summary>Starts a session to a device from its identity key and a claimed one-time or fallback key.</summary>
    /// <exception cref="MatrixCryptoException">Bad base64 or key length, or a low-order key.</exception>
    public OlmSession CreateOutboundSession(string theirIdentityKey, string theirOneTimeKey) =>
        OlmSession.CreateOutbound(IdentityKey,
            UnpaddedBase64.DecodeExact(theirIdentityKey, 32, "identity key"),
            UnpaddedBase64.DecodeExact(theirOneTimeKey, 32, "one-time key"));

    /// <summary>Creates a session from a pre-key message and decrypts it. The one-time key is removed only after the
    /// message decrypted; fallback keys stay. Nothing changes if it fails.</summary>
    /// <param name="message">A type-0 message.</param>
    /// <param name="theirIdentityKey">The sender's Curve25519 key from the event (<c>sender_key</c>), checked against the message.</param>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownOneTimeKey"/>, <see cref="CryptoError.SessionMismatch"/>
    /// (sender key differs), and everything <see cref="OlmSession.Decrypt"/> throws.</exception>
    public InboundSessionResult CreateInboundSession(OlmMessage message, string? theirIdentityKey = null)
    {
        var (result, usedKey) = CreateInboundSessionKeepingKey(message, theirIdentityKey);
        ConsumeOneTimeKey(usedKey);
        return result;
    }

    /// <summary>The first half of <see cref="CreateInboundSession"/>, for callers that accept the message only after
    /// more checks (the Olm payload): the one-time key stays until <see cref="ConsumeOneTimeKey"/>.</summary>
    internal (InboundSessionResult Result, OneTimeKey UsedKey) CreateInboundSessionKeepingKey(OlmMessage message, string? theirIdentityKey)
    {
        var preKey = PreKeyMessage.Decode(message);
        if (theirIdentityKey is not null && UnpaddedBase64.Encode(preKey.IdentityKey) != theirIdentityKey)
        {
            throw new MatrixCryptoException(CryptoError.SessionMismatch, "the pre-key message comes from another identity key");
        }

        var oneTimeKey = FindKey(preKey.OneTimeKey)
            ?? throw new MatrixCryptoException(CryptoError.UnknownOneTimeKey, "the pre-key message uses a one-time key we do not hold");
        var session = OlmSession.CreateInbound(IdentityKey, oneTimeKey.Key, preKey);
        var plaintext = session.Decrypt(message);
        return (new InboundSessionResult(session, plaintext), oneTimeKey);
    }

    /// <summary>Removes a used one-time key; fallback keys stay.</summary>
    internal void ConsumeOneTimeKey(OneTimeKey key) => OneTimeKeys.Remove(key);

    private OneTimeKey? FindKey(byte[] publicKey) =>
        OneTimeKeys.FirstOrDefault(k => k.Key.PublicKey.AsSpan().SequenceEqual(publicKey))
        ?? (FallbackKey is not null && FallbackKey.Key.PublicKey.AsSpan().SequenceEqual(publicKey) ? FallbackKey : null)
        ?? (PreviousFallbackKey is not null && PreviousFallbackKey.Key.PublicKey.AsSpan().SequenceEqual(publicKey) ? PreviousFallbackKey : null);

    private string NewKeyId()
    {
        Span<byte> id = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(id, NextKeyId++);
        return UnpaddedBase64.Encode(id);
    }

    /// <summary>Saves the state sealed with the key store's key. <paramref name="context"/> (e.g. the row's id) must be
    /// given again to <see cref="Load"/>.</summary>
    public byte[] Save(Storage.StoreKey storeKey, string context = "") =>
        storeKey.Seal(Storage.StateKind.OlmAccount, ToStateBytes(), context);

    /// <summary>Restores state saved with <see cref="Save"/>.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> for a wrong key or context,
    /// tampering, truncation or an unknown format version.</exception>
    public static OlmAccount Load(byte[] saved, Storage.StoreKey storeKey, string context = "") =>
        FromStateBytes(storeKey.Open(Storage.StateKind.OlmAccount, saved, context));

    /// <summary>The unsealed state (private keys in the clear): for the codec and its tests only.</summary>
    internal byte[] ToStateBytes() => Storage.CryptoStateCodec.Write(this);

    internal static OlmAccount FromStateBytes(byte[] state) => Storage.CryptoStateCodec.ReadOlmAccount(state);
}
