using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Tests.Json;

public class JsonSigningTests
{
    // Spec appendix "Cryptographic test vectors": the seed (note its non-zero trailing bits) and two signatures.
    private const string Seed = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1";

    [Theory]
    [InlineData("{}", "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ")]
    [InlineData("{\"one\":1,\"two\":\"Two\"}", "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw")]
    public void Spec_signing_vectors(string json, string expectedSignature)
    {
        var value = JsonNode.Parse(json)!.AsObject();
        JsonSigning.Sign(value, "domain", "1", UnpaddedBase64.Decode(Seed));
        Assert.Equal(expectedSignature, value["signatures"]!["domain"]!["ed25519:1"]!.GetValue<string>());
    }

    [Fact]
    public void Signature_ignores_unsigned_and_existing_signatures_and_survives_reordering()
    {
        var key = Ed25519KeyPair.Generate();
        var value = new JsonObject { ["b"] = 1, ["a"] = "x", ["unsigned"] = new JsonObject { ["age"] = 5 } };
        JsonSigning.Sign(value, "@u:hs", "DEV", key.Seed);
        JsonSigning.AddSignature(value, "@other:hs", "K", new byte[64]);

        var reparsed = JsonNode.Parse("{\"a\":\"x\",\"unsigned\":{\"age\":99},\"b\":1,\"signatures\":" + value["signatures"]!.ToJsonString() + "}")!.AsObject();
        Assert.True(JsonSigning.Verify(reparsed, "@u:hs", "DEV", key.PublicKeyBase64));
    }

    [Fact]
    public void Tampered_or_missing_signatures_fail()
    {
        var key = Ed25519KeyPair.Generate();
        var value = new JsonObject { ["a"] = 1 };
        JsonSigning.Sign(value, "@u:hs", "DEV", key.Seed);

        var tampered = (JsonObject)value.DeepClone();
        tampered["a"] = 2;
        Assert.False(JsonSigning.Verify(tampered, "@u:hs", "DEV", key.PublicKeyBase64));
        Assert.False(JsonSigning.Verify(value, "@u:hs", "OTHER", key.PublicKeyBase64));
        Assert.False(JsonSigning.Verify(value, "@u:hs", "DEV", Ed25519KeyPair.Generate().PublicKeyBase64));
        var garbage = (JsonObject)value.DeepClone();
        garbage["signatures"]!["@u:hs"]!["ed25519:DEV"] = "!!!";
        Assert.False(JsonSigning.Verify(garbage, "@u:hs", "DEV", key.PublicKeyBase64));
    }
}

public class JsonSigningShapeTests
{
    [Theory]
    [InlineData("{\"signatures\":[1,2]}")]
    [InlineData("{\"signatures\":{\"@u:hs\":[\"x\"]}}")]
    [InlineData("{\"signatures\":{\"@u:hs\":{\"ed25519:DEV\":5}}}")]
    [InlineData("{\"signatures\":\"nope\"}")]
    public void Odd_signature_shapes_are_not_valid_and_do_not_throw(string json) =>
        Assert.False(JsonSigning.Verify(System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject(), "@u:hs", "DEV",
            WalkieTalkie.Matrix.Crypto.Primitives.Ed25519KeyPair.Generate().PublicKeyBase64));

    // Found by fuzzing (tests/fuzz, canonical-json): a signed object whose text was unreadable threw from Verify.
    [Fact]
    public void Verify_is_false_for_a_signed_object_that_repeats_a_key_or_holds_invalid_text()
    {
        var key = Ed25519KeyPair.Generate();
        var value = new JsonObject { ["a"] = "x" };
        JsonSigning.Sign(value, "@u:hs", "DEV", key.Seed);
        var signatures = value["signatures"]!.ToJsonString();
        var publicKey = UnpaddedBase64.Encode(key.PublicKey);

        Assert.True(JsonSigning.Verify(JsonNode.Parse("{\"a\":\"x\",\"signatures\":" + signatures + "}")!.AsObject(), "@u:hs", "DEV", publicKey));
        Assert.False(JsonSigning.Verify(JsonNode.Parse("{\"a\":\"x\",\"a\":\"x\",\"signatures\":" + signatures + "}")!.AsObject(), "@u:hs", "DEV", publicKey));
        Assert.False(JsonSigning.Verify(JsonNode.Parse("{\"a\":\"\\ud800\",\"signatures\":" + signatures + "}")!.AsObject(), "@u:hs", "DEV", publicKey));
    }
}
