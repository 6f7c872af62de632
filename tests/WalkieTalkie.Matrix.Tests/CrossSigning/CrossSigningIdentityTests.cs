using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Tests.CrossSigning;

public class CrossSigningIdentityTests
{
    private const string User = "@walkie-anna:example.org";
    private const string Device = "BADGE1";

    [Fact]
    public void The_upload_body_has_the_spec_shape_and_the_master_key_signs_the_others()
    {
        var identity = CrossSigningIdentity.Create(User);
        var body = JsonNode.Parse(identity.DeviceSigningUploadBody().ToJsonString())!.AsObject();

        var master = body["master_key"]!.AsObject();
        Assert.Equal(identity.MasterKey, CrossSigningKeyObject.PublicKey(master, User, "master"));
        foreach (var (field, usage) in new[] { ("self_signing_key", "self_signing"), ("user_signing_key", "user_signing") })
        {
            var key = body[field]!.AsObject();
            Assert.Equal(User, key["user_id"]!.GetValue<string>());
            Assert.Equal(usage, key["usage"]![0]!.GetValue<string>());
            var publicKey = CrossSigningKeyObject.PublicKey(key, User, usage);
            Assert.Equal(publicKey, key["keys"]!["ed25519:" + publicKey]!.GetValue<string>());
            Assert.True(CrossSigningKeyObject.IsSignedBy(key, User, identity.MasterKey));
            Assert.False(CrossSigningKeyObject.IsSignedBy(key, User, identity.UserSigningKey));
        }
    }

    [Fact]
    public void Our_device_is_signed_by_the_self_signing_key_and_the_master_by_the_device()
    {
        var identity = CrossSigningIdentity.Create(User);
        var account = OlmAccount.Create();
        var deviceKeys = account.DeviceKeys(User, Device);
        var body = JsonNode.Parse(identity.SignaturesUploadBody(deviceKeys, Device, account).ToJsonString())!.AsObject();

        var signedDevice = body[User]![Device]!.AsObject();
        Assert.True(CrossSigningKeyObject.IsSignedBy(signedDevice, User, identity.SelfSigningKey));
        Assert.True(JsonSigning.Verify(signedDevice, User, Device, account.Ed25519Key)); // the self-signature stays valid
        var signedMaster = body[User]![identity.MasterKey]!.AsObject();
        Assert.True(JsonSigning.Verify(signedMaster, User, Device, account.Ed25519Key));

        var tampered = (JsonObject)signedDevice.DeepClone();
        tampered["keys"]!["curve25519:" + Device] = OlmAccount.Create().Curve25519Key;
        Assert.False(CrossSigningKeyObject.IsSignedBy(tampered, User, identity.SelfSigningKey));
    }

    [Fact]
    public void Another_users_device_is_not_signed_and_other_users_are_signed_with_the_user_signing_key()
    {
        var identity = CrossSigningIdentity.Create(User);
        Assert.Throws<ArgumentException>(() => identity.SignDevice(OlmAccount.Create().DeviceKeys("@other:hs", "X")));
        var otherMaster = CrossSigningIdentity.Create("@other:hs").MasterKeyObject();
        Assert.True(CrossSigningKeyObject.IsSignedBy(identity.SignUser(otherMaster), User, identity.UserSigningKey));
    }

    [Theory]
    [InlineData("{\"user_id\":\"@x:hs\",\"usage\":[\"master\"],\"keys\":{\"ed25519:A\":\"A\"}}")]
    [InlineData("{\"user_id\":\"@walkie-anna:example.org\",\"usage\":[\"self_signing\"],\"keys\":{\"ed25519:A\":\"A\"}}")]
    [InlineData("{\"user_id\":\"@walkie-anna:example.org\",\"usage\":[\"master\"],\"keys\":{\"ed25519:A\":\"B\"}}")]
    [InlineData("{\"user_id\":\"@walkie-anna:example.org\",\"usage\":\"master\",\"keys\":{}}")]
    public void Malformed_key_objects_are_refused(string json) =>
        Assert.Equal(CryptoError.InvalidJson, Assert.Throws<MatrixCryptoException>(() =>
            CrossSigningKeyObject.PublicKey(JsonNode.Parse(json)!.AsObject(), User, "master")).Error);
}
