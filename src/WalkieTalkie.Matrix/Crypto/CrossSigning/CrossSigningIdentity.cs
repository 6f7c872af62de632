using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Olm;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Crypto.CrossSigning;

/// <summary>A user's cross-signing identity held by the gateway: master, self-signing and user-signing keys.
/// The master key signs the other two; the self-signing key signs the user's devices (Element refuses devices
/// their owner did not sign). Create it once per badge user and never reset it.</summary>
public sealed class CrossSigningIdentity
{
    internal CrossSigningIdentity(string userId, Ed25519KeyPair master, Ed25519KeyPair selfSigning, Ed25519KeyPair userSigning)
    {
        UserId = userId;
        MasterKeyPair = master;
        SelfSigningKeyPair = selfSigning;
        UserSigningKeyPair = userSigning;
    }

    /// <summary>The user the identity belongs to.</summary>
    public string UserId { get; }
    internal Ed25519KeyPair MasterKeyPair { get; }
    internal Ed25519KeyPair SelfSigningKeyPair { get; }
    internal Ed25519KeyPair UserSigningKeyPair { get; }

    /// <summary>Three fresh key pairs.</summary>
    public static CrossSigningIdentity Create(string userId) =>
        new(userId, Ed25519KeyPair.Generate(), Ed25519KeyPair.Generate(), Ed25519KeyPair.Generate());

    /// <summary>Public master key (unpadded base64).</summary>
    public string MasterKey => MasterKeyPair.PublicKeyBase64;
    /// <summary>Public self-signing key.</summary>
    public string SelfSigningKey => SelfSigningKeyPair.PublicKeyBase64;
    /// <summary>Public user-signing key.</summary>
    public string UserSigningKey => UserSigningKeyPair.PublicKeyBase64;

    /// <summary>The master key object, signed by <paramref name="device"/> when given (so our own devices trust it).</summary>
    public JsonObject MasterKeyObject(OlmAccount? device = null, string? deviceId = null)
    {
        var master = CrossSigningKeyObject.Create(UserId, CrossSigningKeyObject.Master, MasterKey);
        if (device is not null)
        {
            device.SignJson(master, UserId, deviceId ?? throw new ArgumentNullException(nameof(deviceId)));
        }

        return master;
    }

    /// <summary>The self-signing key object, signed by the master key.</summary>
    public JsonObject SelfSigningKeyObject() => SignedByMaster(CrossSigningKeyObject.Create(UserId, CrossSigningKeyObject.SelfSigning, SelfSigningKey));

    /// <summary>The user-signing key object, signed by the master key.</summary>
    public JsonObject UserSigningKeyObject() => SignedByMaster(CrossSigningKeyObject.Create(UserId, CrossSigningKeyObject.UserSigning, UserSigningKey));

    /// <summary>The body of <c>POST /keys/device_signing/upload</c>.</summary>
    public JsonObject DeviceSigningUploadBody() => new()
    {
        ["master_key"] = MasterKeyObject(),
        ["self_signing_key"] = SelfSigningKeyObject(),
        ["user_signing_key"] = UserSigningKeyObject(),
    };

    /// <summary>A copy of our device's <c>device_keys</c> with the self-signing key's signature added.</summary>
    /// <exception cref="ArgumentException">The device keys belong to another user.</exception>
    public JsonObject SignDevice(JsonObject deviceKeys)
    {
        if (JsonRead.String(deviceKeys["user_id"]) != UserId)
        {
            throw new ArgumentException("only our own user's devices are signed with the self-signing key", nameof(deviceKeys));
        }

        var signed = (JsonObject)deviceKeys.DeepClone();
        signed.Remove("unsigned");
        JsonSigning.Sign(signed, UserId, SelfSigningKey, SelfSigningKeyPair);
        return signed;
    }

    /// <summary>Signs another user's master key object with our user-signing key (after verifying that user).</summary>
    public JsonObject SignUser(JsonObject otherMasterKey)
    {
        var signed = (JsonObject)otherMasterKey.DeepClone();
        signed.Remove("unsigned");
        JsonSigning.Sign(signed, UserId, UserSigningKey, UserSigningKeyPair);
        return signed;
    }

    /// <summary>The body of <c>POST /keys/signatures/upload</c> for our device signed by the self-signing key and,
    /// when <paramref name="device"/> is given, our master key signed by that device.</summary>
    public JsonObject SignaturesUploadBody(JsonObject deviceKeys, string deviceId, OlmAccount? device = null)
    {
        var forUser = new JsonObject { [deviceId] = SignDevice(deviceKeys) };
        if (device is not null)
        {
            forUser[MasterKey] = MasterKeyObject(device, deviceId);
        }

        return new JsonObject { [UserId] = forUser };
    }

    private JsonObject SignedByMaster(JsonObject key)
    {
        JsonSigning.Sign(key, UserId, MasterKey, MasterKeyPair);
        return key;
    }

    /// <summary>Saves the state sealed with the key store's key. <paramref name="context"/> (e.g. the row's id) must be
    /// given again to <see cref="Load"/>.</summary>
    public byte[] Save(Storage.StoreKey storeKey, string context = "") =>
        storeKey.Seal(Storage.StateKind.CrossSigningIdentity, ToStateBytes(), context);

    /// <summary>Restores state saved with <see cref="Save"/>.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> for a wrong key or context,
    /// tampering, truncation or an unknown format version.</exception>
    public static CrossSigningIdentity Load(byte[] saved, Storage.StoreKey storeKey, string context = "") =>
        FromStateBytes(storeKey.Open(Storage.StateKind.CrossSigningIdentity, saved, context));

    /// <summary>The unsealed state (private keys in the clear): for the codec and its tests only.</summary>
    internal byte[] ToStateBytes() => Storage.CryptoStateCodec.Write(this);

    internal static CrossSigningIdentity FromStateBytes(byte[] state) => Storage.CryptoStateCodec.ReadCrossSigningIdentity(state);
}
