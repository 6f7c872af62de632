using System.Text.Json.Nodes;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;
using WalkieTalkie.Media.Waveform;

namespace WalkieTalkie.Media.Tests.Waveform;

/// <summary>The 100-point waveform (Element's peak-to-peak measure, 0..1024) and the m.audio content that carries it.</summary>
public sealed class WaveformThumbnailTests
{
    [Fact]
    public void Silence_is_flat_and_full_scale_is_1024()
    {
        Assert.All(WaveformThumbnail.Compute(new short[8000]), v => Assert.Equal(0, v));
        short[] square = Enumerable.Range(0, 8000).Select(i => i / 20 % 2 == 0 ? short.MaxValue : short.MinValue).ToArray();
        Assert.All(WaveformThumbnail.Compute(square), v => Assert.Equal(1024, v));
        Assert.Equal(100, WaveformThumbnail.Compute([]).Length);
    }

    [Fact]
    public void A_tone_at_half_scale_then_silence()
    {
        short[] pcm = [.. TestAudio.Tone(16000, 440, 1, 0.5), .. new short[16000]];
        int[] waveform = WaveformThumbnail.Compute(pcm);
        Assert.Equal(100, waveform.Length);
        Assert.All(waveform[..50], v => Assert.InRange(v, 505, 515));
        Assert.All(waveform[50..], v => Assert.Equal(0, v));
    }

    [Fact]
    public void Shorter_bursts_than_100_samples_still_give_100_points()
    {
        int[] waveform = WaveformThumbnail.Compute([16384, -16384, 0]);
        Assert.Equal(100, waveform.Length);
        Assert.All(waveform, v => Assert.InRange(v, 0, 1024));
    }

    [Fact]
    public void The_content_is_what_Element_sends()
    {
        var message = VoiceMessageEncoder.FromBurst(new BurstAudio(TestAudio.Tone(16000, 440, 1.25, 0.5), 16000));
        var file = new JsonObject { ["url"] = "mxc://example.org/abc", ["v"] = "v2" };
        JsonObject content = VoiceMessageContent.ForEncryptedFile(message, file);

        Assert.Equal("m.audio", (string?)content["msgtype"]);
        Assert.Equal("Voice message", (string?)content["body"]);
        Assert.Equal("mxc://example.org/abc", (string?)content["file"]!["url"]);
        Assert.Null(content["url"]);
        Assert.Equal("audio/ogg", (string?)content["info"]!["mimetype"]);
        Assert.Equal(message.File.Length, (int)content["info"]!["size"]!);
        Assert.Equal(1250, (int)content["info"]!["duration"]!);
        Assert.Equal(1250, (int)content["org.matrix.msc1767.audio"]!["duration"]!);
        Assert.Equal(100, content["org.matrix.msc1767.audio"]!["waveform"]!.AsArray().Count);
        Assert.Equal("Voice message.ogg", (string?)content["org.matrix.msc1767.file"]!["name"]);
        Assert.Equal("mxc://example.org/abc", (string?)content["org.matrix.msc1767.file"]!["file"]!["url"]);
        Assert.NotNull(content["org.matrix.msc3245.voice"]);
        Assert.Equal("Voice message", (string?)content["org.matrix.msc1767.text"]);

        JsonObject plain = VoiceMessageContent.ForUrl(message, "mxc://example.org/abc");
        Assert.Equal("mxc://example.org/abc", (string?)plain["url"]);
        Assert.Null(plain["file"]);
    }
}
