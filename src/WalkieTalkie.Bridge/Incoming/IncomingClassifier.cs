using System.Text.Json;
using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Incoming;

/// <summary>
/// Sorts decrypted room messages: Ogg Opus audio is played on the badges, other audio is refused with a reason,
/// everything else (text, images, edits, messages from our own badges' accounts) is ignored. Never throws.
/// </summary>
public static class IncomingClassifier
{
    /// <summary>The one container the badges' pipeline decodes (reference section 3.2).</summary>
    public const string OggMimeType = "audio/ogg";

    private static readonly string[] OggExtensions = [".ogg", ".opus", ".oga"];

    /// <summary>Classifies one message.</summary>
    /// <param name="message">The decrypted message.</param>
    /// <param name="ownBadgeUsers">The Matrix users of this gateway's badges: their messages are our own bursts (no echo).</param>
    /// <param name="heardLive">Another site's bursts the badges here heard live: their voice messages are not played again.</param>
    public static IncomingDecision Classify(RoomMessage message, IReadOnlySet<string> ownBadgeUsers, Ports.IHeardLive? heardLive = null)
    {
        var id = message.EventId;
        if (message.Type != WalkieEventTypes.RoomMessage)
        {
            return new IncomingDecision.Ignore(id, $"not a message ({EventRejection.Quote(message.Type)})");
        }

        if (ownBadgeUsers.Contains(message.Sender))
        {
            return new IncomingDecision.Ignore(id, $"sent by our own badge {message.Sender}");
        }

        var content = message.Content;
        if (content.ValueKind != JsonValueKind.Object)
        {
            return new IncomingDecision.Ignore(id, "content is not a JSON object");
        }

        if (String(content, "msgtype") is not { } msgtype)
        {
            return new IncomingDecision.Ignore(id, "no msgtype (redacted or not a message)");
        }

        if (content.TryGetProperty("m.relates_to", out var relation) && relation.ValueKind == JsonValueKind.Object
            && String(relation, "rel_type") == "m.replace")
        {
            return new IncomingDecision.Ignore(id, "an edit of an earlier message");
        }

        if (msgtype != "m.audio")
        {
            return new IncomingDecision.Ignore(id, $"not audio ({EventRejection.Quote(msgtype)})");
        }

        if (heardLive is not null && content.TryGetProperty(WalkieEventTypes.BurstKey, out var burst) && burst.ValueKind == JsonValueKind.Object
            && String(burst, "gateway_id") is { } site && burst.TryGetProperty("burst_id", out var b) && JsonFields.TryGetSafeInteger(b, out var burstId)
            && burstId is >= 0 and <= uint.MaxValue && heardLive.WasHeardLive(site, (uint)burstId))
        {
            return new IncomingDecision.Ignore(id, $"burst {burstId} of gateway {EventRejection.Quote(site)}, heard live over the site link");
        }

        var source = SourceOf(content);
        if (source is null)
        {
            return new IncomingDecision.Refuse(id, "audio without a usable file: neither an encrypted \"file\" with url, key, iv and hashes nor an mxc:// \"url\"");
        }

        var info = content.TryGetProperty("info", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        var mimetype = info.ValueKind == JsonValueKind.Object ? BaseMimeType(String(info, "mimetype")) : null;
        var name = FileNameOf(content);
        if (!IsOggOpus(mimetype, name))
        {
            return new IncomingDecision.Refuse(id,
                $"audio that is not Ogg Opus (mimetype {EventRejection.Quote(mimetype ?? "none")}, name {EventRejection.Quote(name ?? "none")}); badges play Ogg Opus voice messages only");
        }

        long? duration = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("duration", out var d)
            && JsonFields.TryGetSafeInteger(d, out var ms) && ms >= 0 ? ms : null;
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(message.OriginServerTs, 0, 253_402_300_799_999));
        return new IncomingDecision.Play(new IncomingVoice(id, message.Sender, source, duration, sentAt, message.SenderDevice));
    }

    // A mimetype that names a container decides; without one (or a generic one) the file name does.
    private static bool IsOggOpus(string? mimetype, string? name)
    {
        if (mimetype == OggMimeType)
        {
            return true;
        }

        if (mimetype is not null && mimetype != "application/octet-stream")
        {
            return false;
        }

        return name is not null && OggExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    private static VoiceSource? SourceOf(JsonElement content)
    {
        if (content.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object)
        {
            var url = String(file, "url");
            if (IsMxc(url) && Has(file, "key", JsonValueKind.Object) && Has(file, "iv", JsonValueKind.String)
                && Has(file, "hashes", JsonValueKind.Object))
            {
                return new VoiceSource(file.Clone(), url!);
            }

            return null;
        }
        var plain = String(content, "url");
        return IsMxc(plain) ? new VoiceSource(null, plain!) : null;
    }

    private static string? FileNameOf(JsonElement content)
    {
        if (String(content, "filename") is { } filename)
        {
            return filename;
        }

        if (content.TryGetProperty("org.matrix.msc1767.file", out var f) && f.ValueKind == JsonValueKind.Object
            && String(f, "name") is { } extensible)
        {
            return extensible;
        }

        return String(content, "body");
    }

    private static string? BaseMimeType(string? mimetype)
    {
        if (mimetype is null)
        {
            return null;
        }

        var semicolon = mimetype.IndexOf(';');
        return (semicolon < 0 ? mimetype : mimetype[..semicolon]).Trim().ToLowerInvariant();
    }

    private static bool IsMxc(string? url)
    {
        if (url is null || !url.StartsWith("mxc://", StringComparison.Ordinal))
        {
            return false;
        }

        var slash = url.IndexOf('/', 6);
        return slash > 6 && slash < url.Length - 1;
    }

    private static bool Has(JsonElement obj, string key, JsonValueKind kind) =>
        obj.TryGetProperty(key, out var value) && value.ValueKind == kind;

    private static string? String(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
