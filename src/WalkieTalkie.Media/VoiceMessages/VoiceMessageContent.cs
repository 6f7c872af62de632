using System.Text.Json.Nodes;

namespace WalkieTalkie.Media.VoiceMessages;

/// <summary>
/// The <c>m.room.message</c> content of a voice message as Element sends it (MSC3245 voice, MSC3246 waveform,
/// MSC1767 extensible events). The attachment is referenced either by an encrypted <c>file</c> object (from the
/// E2EE code) or, in an unencrypted room, by an <c>mxc://</c> URL.
/// </summary>
public static class VoiceMessageContent
{
    /// <summary>Content for an encrypted room: <paramref name="encryptedFile"/> is the EncryptedFile JSON object of the uploaded ciphertext.</summary>
    public static JsonObject ForEncryptedFile(VoiceMessage message, JsonObject encryptedFile)
    {
        ArgumentNullException.ThrowIfNull(encryptedFile);
        return Build(message, "file", encryptedFile);
    }

    /// <summary>Content for an unencrypted room, the file uploaded as <paramref name="mxcUrl"/>.</summary>
    public static JsonObject ForUrl(VoiceMessage message, string mxcUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(mxcUrl);
        return Build(message, "url", JsonValue.Create(mxcUrl));
    }

    private static JsonObject Build(VoiceMessage message, string referenceKey, JsonNode reference)
    {
        ArgumentNullException.ThrowIfNull(message);
        var waveform = new JsonArray();
        foreach (int value in message.Waveform)
        {
            waveform.Add(value);
        }

        var extensibleFile = new JsonObject
        {
            [referenceKey] = reference.DeepClone(),
            ["name"] = VoiceMessage.FileName,
            ["mimetype"] = VoiceMessage.MimeType,
            ["size"] = message.Size,
        };

        return new JsonObject
        {
            ["msgtype"] = "m.audio",
            ["body"] = VoiceMessage.Body,
            [referenceKey] = reference.DeepClone(),
            ["info"] = new JsonObject
            {
                ["mimetype"] = VoiceMessage.MimeType,
                ["size"] = message.Size,
                ["duration"] = message.DurationMilliseconds,
            },
            ["org.matrix.msc1767.text"] = VoiceMessage.Body,
            ["org.matrix.msc1767.file"] = extensibleFile,
            ["org.matrix.msc1767.audio"] = new JsonObject
            {
                ["duration"] = message.DurationMilliseconds,
                ["waveform"] = waveform,
            },
            ["org.matrix.msc3245.voice"] = new JsonObject(),
        };
    }
}
