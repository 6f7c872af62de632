using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Incoming;

public class IncomingClassifierTests
{
    private static readonly IReadOnlySet<string> OwnBadges = new HashSet<string> { Ev.Anna };

    private const string EncryptedFile =
        """{"url":"mxc://example.org/abc","key":{"kty":"oct","alg":"A256CTR","k":"K","ext":true,"key_ops":["encrypt","decrypt"]},"iv":"IV","hashes":{"sha256":"H"},"v":"v2"}""";

    private static IncomingDecision Classify(string content, string sender = Ev.Parent, string type = "m.room.message") =>
        IncomingClassifier.Classify(new RoomMessage("$ev", sender, type, Ev.Json(content), 1_700_000_000_000), OwnBadges);

    [Fact]
    public void An_element_voice_message_is_played()
    {
        var play = Assert.IsType<IncomingDecision.Play>(Classify($$"""
            {"msgtype":"m.audio","body":"Voice message","file":{{EncryptedFile}},
             "info":{"mimetype":"audio/ogg","size":1234,"duration":2500},"org.matrix.msc3245.voice":{} }
            """));
        Assert.Equal("$ev", play.Voice.EventId);
        Assert.Equal(Ev.Parent, play.Voice.Sender);
        Assert.True(play.Voice.Source.IsEncrypted);
        Assert.Equal("mxc://example.org/abc", play.Voice.Source.Url);
        Assert.Equal("v2", play.Voice.Source.EncryptedFile!.Value.GetProperty("v").GetString());
        Assert.Equal(2500, play.Voice.DurationMs);
        Assert.Equal(Ev.At(1_700_000_000_000), play.Voice.SentAt);
    }

    [Theory]
    [InlineData("""{"msgtype":"m.audio","body":"memo.ogg","url":"mxc://example.org/x"}""")]
    [InlineData("""{"msgtype":"m.audio","body":"Voice","filename":"MEMO.OPUS","url":"mxc://example.org/x","info":{"mimetype":"application/octet-stream"}}""")]
    [InlineData("""{"msgtype":"m.audio","body":"x","url":"mxc://example.org/x","info":{"mimetype":"Audio/Ogg; codecs=opus"}}""")]
    [InlineData("""{"msgtype":"m.audio","body":"x","url":"mxc://example.org/x","org.matrix.msc1767.file":{"name":"a.ogg"}}""")]
    public void Ogg_is_recognised_by_mimetype_or_by_name(string content)
    {
        var play = Assert.IsType<IncomingDecision.Play>(Classify(content));
        Assert.False(play.Voice.Source.IsEncrypted);
        Assert.Null(play.Voice.DurationMs);
    }

    [Theory]
    [InlineData("""{"msgtype":"m.audio","body":"song.mp3","url":"mxc://example.org/x","info":{"mimetype":"audio/mpeg"}}""", "audio/mpeg")]
    [InlineData("""{"msgtype":"m.audio","body":"memo.ogg","url":"mxc://example.org/x","info":{"mimetype":"audio/mp4"}}""", "audio/mp4")]
    [InlineData("""{"msgtype":"m.audio","body":"Voice message","url":"mxc://example.org/x"}""", "not Ogg Opus")]
    public void Other_audio_is_refused_with_a_reason(string content, string reasonPart)
    {
        var refuse = Assert.IsType<IncomingDecision.Refuse>(Classify(content));
        Assert.Contains(reasonPart, refuse.Reason);
        Assert.Contains("Ogg Opus", refuse.Reason);
    }

    [Theory]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg"}""")]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg","url":"https://example.org/a.ogg"}""")]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg","url":"mxc://example.org/"}""")]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg","url":"mxc:///x"}""")]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg","file":{"url":"mxc://example.org/x"}}""")]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg","file":"mxc://example.org/x"}""")]
    public void Audio_without_a_usable_file_is_refused(string content)
    {
        Assert.Contains("usable file", Assert.IsType<IncomingDecision.Refuse>(Classify(content)).Reason);
    }

    [Theory]
    [InlineData("""{"msgtype":"m.text","body":"hello"}""")]
    [InlineData("""{"msgtype":"m.image","body":"a.ogg","url":"mxc://example.org/x"}""")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("""{"msgtype":5}""")]
    [InlineData("""{"msgtype":"m.audio","body":"a.ogg","url":"mxc://example.org/x","m.new_content":{},"m.relates_to":{"rel_type":"m.replace","event_id":"$old"}}""")]
    public void Text_edits_and_others_are_ignored(string content)
    {
        Assert.IsType<IncomingDecision.Ignore>(Classify(content));
    }

    [Fact]
    public void Our_own_badges_bursts_are_ignored_so_they_do_not_echo()
    {
        var ignore = Assert.IsType<IncomingDecision.Ignore>(Classify($$"""{"msgtype":"m.audio","body":"Voice message","file":{{EncryptedFile}},"info":{"mimetype":"audio/ogg"} }""", Ev.Anna));
        Assert.Contains("own badge", ignore.Reason);
    }

    [Fact]
    public void Other_event_types_are_ignored()
    {
        Assert.IsType<IncomingDecision.Ignore>(Classify("""{"msgtype":"m.audio","url":"mxc://example.org/x","body":"a.ogg"}""", type: "m.sticker"));
    }

    [Fact]
    public void A_voice_message_in_a_thread_is_still_played()
    {
        Assert.IsType<IncomingDecision.Play>(Classify("""
            {"msgtype":"m.audio","body":"a.ogg","url":"mxc://example.org/x","m.relates_to":{"rel_type":"m.thread","event_id":"$root"}}
            """));
    }

    [Fact]
    public void Hostile_durations_are_dropped_not_trusted()
    {
        var play = Assert.IsType<IncomingDecision.Play>(Classify("""{"msgtype":"m.audio","body":"a.ogg","url":"mxc://example.org/x","info":{"duration":-4}}"""));
        Assert.Null(play.Voice.DurationMs);
        play = Assert.IsType<IncomingDecision.Play>(Classify("""{"msgtype":"m.audio","body":"a.ogg","url":"mxc://example.org/x","info":{"duration":"long"}}"""));
        Assert.Null(play.Voice.DurationMs);
    }
}
