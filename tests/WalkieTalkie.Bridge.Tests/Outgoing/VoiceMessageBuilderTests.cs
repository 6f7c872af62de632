using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Outgoing;

public class VoiceMessageBuilderTests
{
    private static readonly FinishedBurst Burst = new("yard", "anna", 77, Ev.At(1_700_000_000_000), 2, true, "/var/lib/walkie/77.wav");

    private static readonly JsonObject File = JsonNode.Parse("""
        {"url":"mxc://example.org/abc","key":{"kty":"oct","key_ops":["encrypt","decrypt"],"alg":"A256CTR","k":"K","ext":true},
         "iv":"IV","hashes":{"sha256":"H"},"v":"v2"}
        """)!.AsObject();

    private static readonly int[] Waveform = Enumerable.Range(0, 100).Select(i => i * 10).ToArray();

    [Fact]
    public void Builds_the_voice_message_element_sends_with_the_burst_key()
    {
        var content = VoiceMessageBuilder.Build(Burst, UploadedVoice.Encrypted(File, 4321), 2_500, Waveform, null);
        var waveform = string.Join(",", Waveform);
        var file = File.ToJsonString();
        var expected = JsonNode.Parse($$"""
            {"msgtype":"m.audio","body":"Voice message","file":{{file}},
             "info":{"mimetype":"audio/ogg","size":4321,"duration":2500},
             "org.matrix.msc1767.text":"Voice message",
             "org.matrix.msc1767.file":{"name":"Voice message.ogg","mimetype":"audio/ogg","size":4321,"file":{{file}}},
             "org.matrix.msc1767.audio":{"duration":2500,"waveform":[{{waveform}}]},
             "org.matrix.msc3245.voice":{},
             "org.matrix.msc4002.burst":{"channel":"yard","burst_id":77,"started_ts":1700000000000,"frames_lost":2,"incomplete":true} }
            """);
        Assert.True(JsonNode.DeepEquals(expected, content), content.ToJsonString());
    }

    [Fact]
    public void Adds_the_thread_relation_with_the_reply_fallback()
    {
        var content = VoiceMessageBuilder.Build(Burst, UploadedVoice.Encrypted(File, 1), 1, Waveform, new ThreadRelation("$root", "$latest"));
        var expected = JsonNode.Parse("""{"rel_type":"m.thread","event_id":"$root","is_falling_back":true,"m.in_reply_to":{"event_id":"$latest"}}""");
        Assert.True(JsonNode.DeepEquals(expected, content["m.relates_to"]), content["m.relates_to"]!.ToJsonString());
    }

    [Fact]
    public void A_plain_room_gets_urls_instead_of_files()
    {
        var content = VoiceMessageBuilder.Build(Burst, UploadedVoice.Plain("mxc://example.org/plain", 10), 1, Waveform, null);
        Assert.Equal("mxc://example.org/plain", content["url"]!.GetValue<string>());
        Assert.Equal("mxc://example.org/plain", content["org.matrix.msc1767.file"]!["url"]!.GetValue<string>());
        Assert.False(content.ContainsKey("file"));
    }

    [Fact]
    public void Clamps_the_waveform_to_0_1024_and_copies_the_file_object()
    {
        var content = VoiceMessageBuilder.Build(Burst, UploadedVoice.Encrypted(File, 1), 1, [-5, 2000, 512], null);
        Assert.Equal("[0,1024,512]", content["org.matrix.msc1767.audio"]!["waveform"]!.ToJsonString());
        content["file"]!["url"] = "changed";
        Assert.Equal("mxc://example.org/abc", File["url"]!.GetValue<string>());
    }

    [Fact]
    public void Refuses_impossible_inputs()
    {
        Assert.Throws<ArgumentException>(() => VoiceMessageBuilder.Build(Burst, UploadedVoice.Encrypted(File, 1), -1, Waveform, null));
        Assert.Throws<ArgumentException>(() => VoiceMessageBuilder.Build(Burst, new UploadedVoice(null, null, 1), 1, Waveform, null));
        Assert.Throws<ArgumentException>(() => VoiceMessageBuilder.Build(Burst, new UploadedVoice(File, "mxc://x/y", 1), 1, Waveform, null));
    }

    [Fact]
    public void The_transaction_id_is_fixed_by_the_burst_and_url_safe()
    {
        var same = Burst with { RecordingPath = "/elsewhere.wav", FramesLost = 9 };
        Assert.Equal(Burst.TransactionId, same.TransactionId);
        Assert.NotEqual(Burst.TransactionId, (Burst with { BurstId = 78 }).TransactionId);
        Assert.NotEqual(Burst.TransactionId, (Burst with { Channel = "yard/../x y" }).TransactionId);
        Assert.Matches("^wt-burst-[0-9a-f]{24}$", (Burst with { Channel = "yard/../x y" }).TransactionId);
    }
}
