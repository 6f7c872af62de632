using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// The access rules of docs/protocol.md: a badge publishes only to <c>wt/v1/{own id}/up/{audio,ctl,state}</c> and
/// subscribes only to <c>wt/v1/{own id}/down/#</c> (or one of its own down topics); payloads stay within the
/// protocol's limits.
/// </summary>
public static class TopicPolicy
{
    /// <summary>The kind of an allowed publish, or <see cref="TopicKind.None"/> when refused.</summary>
    public static TopicKind CheckPublish(string badgeId, string topic)
    {
        // Asked for every uplink message: compared in place (what Topics.Parse would say, without its substrings).
        if (topic is null || !Topics.IsValidBadgeId(badgeId))
        {
            return TopicKind.None;
        }

        var rest = topic.AsSpan();
        if (!rest.StartsWith(Topics.Prefix, StringComparison.Ordinal) || !rest[Topics.Prefix.Length..].StartsWith(badgeId, StringComparison.Ordinal))
        {
            return TopicKind.None;
        }

        return rest[(Topics.Prefix.Length + badgeId.Length)..] switch
        {
            "/up/audio" => TopicKind.UpAudio,
            "/up/ctl" => TopicKind.UpControl,
            "/up/state" => TopicKind.UpState,
            _ => TopicKind.None,
        };
    }

    public static bool MaySubscribe(string badgeId, string filter)
    {
        if (filter == Topics.DownFilter(badgeId))
        {
            return true;
        }

        var kind = Topics.Parse(filter, out var owner);
        return owner == badgeId && kind is TopicKind.DownAudio or TopicKind.DownControl;
    }

    /// <summary>The largest payload allowed on a topic kind: 4096 bytes for audio, 1024 for control and state.</summary>
    public static int MaxPayload(TopicKind kind) => kind == TopicKind.UpAudio ? AudioFrame.MaxLength : ControlMessage.MaxLength;
}
