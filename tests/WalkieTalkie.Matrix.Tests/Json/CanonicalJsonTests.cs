using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Json;

namespace WalkieTalkie.Matrix.Tests.Json;

public class CanonicalJsonTests
{
    // The spec appendix "Canonical JSON" examples.
    [Theory]
    [InlineData("{}", "{}")]
    [InlineData("{\"one\": 1, \"two\": \"Two\"}", "{\"one\":1,\"two\":\"Two\"}")]
    [InlineData("{\"b\": \"2\", \"a\": \"1\"}", "{\"a\":\"1\",\"b\":\"2\"}")]
    [InlineData("{\"auth\":{\"success\":true,\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\",\"three_pids\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\"},{\"medium\":\"msisdn\",\"address\":\"123456789\"}]}}}",
        "{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\",\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}")]
    [InlineData("{\"a\": \"日本語\"}", "{\"a\":\"日本語\"}")]
    [InlineData("{\"本\": 2, \"日\": 1}", "{\"日\":1,\"本\":2}")]
    [InlineData("{\"a\": \"\\u65E5\"}", "{\"a\":\"日\"}")]
    [InlineData("{\"a\": null}", "{\"a\":null}")]
    [InlineData("{\"a\": -0, \"b\": 1e10}", "{\"a\":0,\"b\":10000000000}")]
    public void Spec_examples(string input, string expected) =>
        Assert.Equal(expected, CanonicalJson.SerializeToString(JsonNode.Parse(input)));

    [Fact]
    public void Escapes_only_quote_backslash_and_controls_with_lowercase_hex()
    {
        var node = new JsonObject { ["k"] = "+/<>&'\u2028\u0001\u001f\b\t\n\f\r\"\\é😀" };
        Assert.Equal("{\"k\":\"+/<>&'\u2028\\u0001\\u001f\\b\\t\\n\\f\\r\\\"\\\\é😀\"}", CanonicalJson.SerializeToString(node));
    }

    [Fact]
    public void Sorts_keys_by_code_point_not_utf16_unit()
    {
        // U+1F600 (surrogates D83D DE00) sorts after U+FFFD by code point, before it by UTF-16 unit.
        var node = new JsonObject { ["\U0001F600"] = 1, ["\uFFFD"] = 2, ["a"] = 3 };
        Assert.Equal("{\"a\":3,\"\uFFFD\":2,\"\U0001F600\":1}", CanonicalJson.SerializeToString(node));
    }

    [Theory]
    [InlineData("{\"a\": 1.5}")]
    [InlineData("{\"a\": 9007199254740992}")]
    [InlineData("{\"a\": -9007199254740992}")]
    public void Rejects_non_integers_and_unsafe_integers(string input)
    {
        var error = Assert.Throws<MatrixCryptoException>(() => CanonicalJson.Serialize(JsonNode.Parse(input)));
        Assert.Equal(CryptoError.InvalidJson, error.Error);
    }

    [Fact]
    public void Accepts_the_largest_safe_integers_and_clr_values()
    {
        var node = new JsonObject { ["max"] = 9007199254740991L, ["min"] = -9007199254740991L, ["i"] = 7, ["d"] = 3.0 };
        Assert.Equal("{\"d\":3,\"i\":7,\"max\":9007199254740991,\"min\":-9007199254740991}", CanonicalJson.SerializeToString(node));
    }

    [Fact]
    public void Rejects_lone_surrogates()
    {
        var error = Assert.Throws<MatrixCryptoException>(() => CanonicalJson.Serialize(new JsonObject { ["a"] = "x\uD800y" }));
        Assert.Equal(CryptoError.InvalidJson, error.Error);
    }
}
