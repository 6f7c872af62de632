using WalkieTalkie.Gateway.Logging;

namespace WalkieTalkie.Gateway.Tests.Logging;

/// <summary>Client-supplied text is escaped before it reaches a log line.</summary>
public sealed class LogTextTests
{
    [Theory]
    [InlineData("anna", "anna")]
    [InlineData("wt/v1/anna/up/ctl", "wt/v1/anna/up/ctl")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("\u001b[31mred", @"\x1B[31mred")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("nul\0", @"nul\x00")]
    [InlineData("del\u007f c1\u0085", @"del\x7F c1\x85")]
    [InlineData("line\u2028para\u2029", @"line\u2028para\u2029")]
    [InlineData("rtl\u202eoverride", @"rtl\u202Eoverride")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("Ünïcødé ok", "Ünïcødé ok")]
    public void Control_and_format_characters_become_escapes(string text, string logged) =>
        Assert.Equal(logged, LogText.Escape(text));

    [Fact]
    public void Long_text_is_cut_and_says_how_long_it_was()
    {
        var escaped = LogText.Escape(new string('x', 10_000));
        Assert.Equal(new string('x', LogText.MaxLength) + "...(10000 characters)", escaped);
        Assert.Equal("(none)", LogText.Escape(null));
    }
}
