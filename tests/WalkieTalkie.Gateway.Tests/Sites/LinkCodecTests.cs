using System.Text;
using WalkieTalkie.Gateway.Sites.Link;

namespace WalkieTalkie.Gateway.Tests.Sites;

public sealed class LinkCodecTests
{
    public static TheoryData<LinkMessage> Messages() =>
    [
        new LinkBurstStart("!room:example.org", 4_000_000_000, "Anna", 8000),
        new LinkBurstEnd(7),
        new LinkRefused("no"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_reads_back_as_written(LinkMessage message) => Assert.Equal(message, LinkCodec.Read(LinkCodec.Write(message)));

    [Fact]
    public void A_hello_and_a_welcome_read_back_as_written()
    {
        var hello = Assert.IsType<LinkHello>(LinkCodec.Read(LinkCodec.Write(new LinkHello("gw-a", "@g:example.org", "token", "example.org", ["!r:example.org"]))));
        Assert.Equal(("gw-a", "@g:example.org", "token", "example.org"), (hello.GatewayId, hello.UserId, hello.AccessToken, hello.ServerName));
        Assert.Equal(["!r:example.org"], hello.Rooms);
        var welcome = Assert.IsType<LinkWelcome>(LinkCodec.Read(LinkCodec.Write(new LinkWelcome("gw-b", ["!r:example.org"]))));
        Assert.Equal(["!r:example.org"], welcome.Rooms);
    }

    [Fact]
    public void An_unknown_type_is_read_as_unknown_to_be_ignored() =>
        Assert.Equal(new LinkUnknown("floor_claim"), LinkCodec.Read("""{"type":"floor_claim","x":1}"""u8));

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"no":"type"}""")]
    [InlineData("""{"type":"burst_end"}""")]
    [InlineData("""{"type":"burst_end","burst_id":-1}""")]
    [InlineData("""{"type":"burst_end","burst_id":4294967296}""")]
    [InlineData("""{"type":"burst_start","room_id":"!r","burst_id":1,"talker":"","sample_rate":8000}""")]
    [InlineData("""{"type":"hello","gateway_id":"gw","user_id":"@u:s","rooms":[]}""")]
    [InlineData("""{"type":"welcome","gateway_id":"gw","rooms":[1]}""")]
    public void What_does_not_parse_is_a_format_error(string text) =>
        Assert.Throws<LinkFormatException>(() => LinkCodec.Read(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_phones_voice_message_names_its_room_event_and_a_badges_burst_names_none()
    {
        var phone = new LinkBurstStart("!room:example.org", 9, "@dad:example.org", 8000, "$abc:example.org");
        Assert.Equal(phone, LinkCodec.Read(LinkCodec.Write(phone)));
        Assert.DoesNotContain("event_id", Encoding.UTF8.GetString(LinkCodec.Write(new LinkBurstStart("!room:example.org", 9, "Anna", 8000))));
    }

    [Theory]
    [InlineData("""{"type":"burst_start","room_id":"!r","burst_id":1,"talker":"Dad","sample_rate":8000,"event_id":""}""")]
    [InlineData("""{"type":"burst_start","room_id":"!r","burst_id":1,"talker":"Dad","sample_rate":8000,"event_id":7}""")]
    [InlineData("""{"type":"burst_start","room_id":"!r","burst_id":1,"talker":"Dad","sample_rate":8000,"event_id":null}""")]
    public void An_event_id_that_is_not_a_short_string_is_a_format_error(string text) =>
        Assert.Throws<LinkFormatException>(() => LinkCodec.Read(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(200)]
    public void A_long_talker_name_is_cut_to_fit_and_never_inside_an_emoji(int letters)
    {
        // A phone's display name: letters, then an emoji (two UTF-16 halves) where the cut may fall.
        var name = new string('a', letters) + "\U0001F600 and more";
        var start = new LinkBurstStart("!room:example.org", 9, LinkCodec.FitTalker(name), 8000);
        var read = Assert.IsType<LinkBurstStart>(LinkCodec.Read(LinkCodec.Write(start)));
        Assert.Equal(start, read);
        Assert.InRange(read.Talker.Length, LinkCodec.MaxTalkerLength - 1, LinkCodec.MaxTalkerLength);
        Assert.StartsWith(read.Talker, name, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_message_past_the_limit_is_refused() =>
        Assert.Throws<LinkFormatException>(() => LinkCodec.Read(new byte[LinkCodec.MaxTextBytes + 1]));
}
