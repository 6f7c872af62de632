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

    // Found by fuzzing (tests/fuzz, canonical-json): System.Text.Json parses these, then throws InvalidOperationException
    // (invalid UTF-8, an escaped lone surrogate) or ArgumentException (a repeated key) when the node is first read.
    public static TheoryData<byte[]> UnreadableJson() => new()
    {
        { "{\"a\":\"x"u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}"u8.ToArray()).ToArray() },
        { "{\"a"u8.ToArray().Concat(new byte[] { 0xFF }).Concat("\":1}"u8.ToArray()).ToArray() },
        { "{\"a\":[\"\\ud800\"]}"u8.ToArray() },
        { "{\"\\udc00\":1}"u8.ToArray() },
        { "{\"a\":1,\"a\":2}"u8.ToArray() },
        { "{\"b\":{\"a\":1,\"a\":2}}"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(UnreadableJson))]
    public void Parsed_json_that_is_no_valid_text_or_repeats_a_key_is_invalid_json(byte[] json)
    {
        var node = JsonNode.Parse(json)!.AsObject();

        Assert.Equal(CryptoError.InvalidJson, Assert.Throws<MatrixCryptoException>(() => CanonicalJson.Serialize(node)).Error);
        Assert.Equal(CryptoError.InvalidJson, Assert.Throws<MatrixCryptoException>(() => JsonSigning.SigningBytes(node)).Error);
        Assert.Equal(CryptoError.InvalidJson, Assert.Throws<MatrixCryptoException>(() => JsonRead.ParseObject(json, "payload")).Error);
    }

    [Fact]
    public void Rejects_lone_surrogates()
    {
        var error = Assert.Throws<MatrixCryptoException>(() => CanonicalJson.Serialize(new JsonObject { ["a"] = "x\uD800y" }));
        Assert.Equal(CryptoError.InvalidJson, error.Error);
    }
}
