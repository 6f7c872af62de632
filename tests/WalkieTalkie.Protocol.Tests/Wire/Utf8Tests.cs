using System.Text;
using FsCheck.Xunit;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Tests.Wire;

/// <summary>The hand-written UTF-8 (mscorlib 1.17 has no Encoding) checked against .NET's.</summary>
public class Utf8Tests
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    [Theory]
    [InlineData("")]
    [InlineData("Anna")]
    [InlineData("Küche")]
    [InlineData("倉庫 北")]
    [InlineData("Mama 📣")]
    public void Encodes_as_dotnet_does(string text)
    {
        var buffer = new byte[Utf8.GetByteCount(text)];
        Assert.Equal(buffer.Length, Utf8.Encode(text, buffer, 0));
        Assert.Equal(Encoding.UTF8.GetBytes(text), buffer);
        Assert.Equal(text, Utf8.Decode(buffer, 0, buffer.Length));
    }

    [Property(MaxTest = 2000)]
    public void Decodes_exactly_what_a_strict_decoder_accepts(byte[] bytes)
    {
        string? expected;
        try
        {
            expected = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            expected = null;
        }

        Assert.Equal(expected, Utf8.Decode(bytes, 0, bytes.Length));
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x80 })]             // overlong NUL
    [InlineData(new byte[] { 0xE0, 0x80, 0x80 })]       // overlong
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // a surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // past U+10FFFF
    [InlineData(new byte[] { 0xE2, 0x82 })]             // cut short
    [InlineData(new byte[] { 0x80 })]                   // lone continuation
    public void Refuses_what_the_standard_refuses(byte[] bytes)
    {
        Assert.Null(Utf8.Decode(bytes, 0, bytes.Length));
    }

    [Fact]
    public void A_lone_surrogate_is_written_as_the_replacement_character()
    {
        var text = "a\uD800b";
        var buffer = new byte[Utf8.GetByteCount(text)];
        Utf8.Encode(text, buffer, 0);
        Assert.Equal("a\uFFFDb", Utf8.Decode(buffer, 0, buffer.Length));
    }
}
