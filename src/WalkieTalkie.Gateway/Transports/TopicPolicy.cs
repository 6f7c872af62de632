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
        var kind = Topics.Parse(topic, out var owner);
        return owner == badgeId && kind is TopicKind.UpAudio or TopicKind.UpControl or TopicKind.UpState ? kind : TopicKind.None;
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
