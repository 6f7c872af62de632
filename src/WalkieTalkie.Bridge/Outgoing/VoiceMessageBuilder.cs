using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>
/// Builds the <c>m.audio</c> content of a burst exactly as Element sends a voice message (reference section 3.1:
/// the voice marker, MSC1767 text, file and audio with a waveform), plus <c>org.matrix.msc4002.burst</c> and, inside
/// a session, the thread relation.
/// </summary>
public static class VoiceMessageBuilder
{
    /// <summary>The body and text clients without voice support show.</summary>
    public const string Body = "Voice message";

    /// <summary>The file name Element gives voice messages.</summary>
    public const string FileName = "Voice message.ogg";

    /// <summary>The mimetype of an Ogg Opus voice message.</summary>
    public const string MimeType = "audio/ogg";

    /// <summary>The waveform's scale: values run 0..1024.</summary>
    public const int WaveformMax = 1024;

    /// <summary>Builds the content.</summary>
    /// <param name="burst">The finished burst.</param>
    /// <param name="upload">The uploaded file.</param>
    /// <param name="durationMs">The Ogg file's duration in milliseconds.</param>
    /// <param name="waveform">The waveform, 100 points expected; values outside 0..1024 are clamped as clients would.</param>
    /// <param name="thread">The thread relation, or null for a session's first burst.</param>
    /// <param name="gatewayId">The recording gateway's id among the sites of the room (they skip what they heard live); null without sites.</param>
    /// <exception cref="ArgumentException">The upload holds neither a file nor a url, or the duration or size is negative.</exception>
    public static JsonObject Build(FinishedBurst burst, UploadedVoice upload, long durationMs, IReadOnlyList<int> waveform,
        ThreadRelation? thread, string? gatewayId = null)
    {
        if (durationMs < 0)
        {
            throw new ArgumentException("duration must not be negative", nameof(durationMs));
        }

        if (upload.Size < 0)
        {
            throw new ArgumentException("size must not be negative", nameof(upload));
        }

        if (upload.EncryptedFile is null == upload.Url is null)
        {
            throw new ArgumentException("an upload is either an encrypted file or a plain url", nameof(upload));
        }

        var msc1767File = new JsonObject { ["name"] = FileName, ["mimetype"] = MimeType, ["size"] = upload.Size };
        var content = new JsonObject { ["msgtype"] = "m.audio", ["body"] = Body };
        if (upload.EncryptedFile is { } file)
        {
            content["file"] = file.DeepClone();
            msc1767File["file"] = file.DeepClone();
        }
        else
        {
            content["url"] = upload.Url;
            msc1767File["url"] = upload.Url;
        }
        content["info"] = new JsonObject { ["mimetype"] = MimeType, ["size"] = upload.Size, ["duration"] = durationMs };
        content["org.matrix.msc1767.text"] = Body;
        content["org.matrix.msc1767.file"] = msc1767File;
        content["org.matrix.msc1767.audio"] = new JsonObject
        {
            ["duration"] = durationMs,
            ["waveform"] = new JsonArray(waveform.Select(v => (JsonNode)Math.Clamp(v, 0, WaveformMax)).ToArray()),
        };
        content["org.matrix.msc3245.voice"] = new JsonObject();
        content[WalkieEventTypes.BurstKey] = new JsonObject
        {
            ["channel"] = burst.Channel,
            ["burst_id"] = burst.BurstId,
            ["started_ts"] = burst.StartedAt.ToUnixTimeMilliseconds(),
            ["frames_lost"] = burst.FramesLost,
            ["incomplete"] = burst.Incomplete,
        };
        if (gatewayId is not null)
        {
            content[WalkieEventTypes.BurstKey]!["gateway_id"] = gatewayId;
        }

        if (thread is not null)
        {
            content["m.relates_to"] = thread.ToJson();
        }

        return content;
    }
}
