using System.Text;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="Topics.Parse"/> on an MQTT topic name (the bytes as UTF-8, as MQTT carries it). It never throws; a topic
/// that is not one of ours is <see cref="TopicKind.None"/>. An accepted topic must be the one <see cref="Topics"/>
/// builds for its badge and kind.
/// </summary>
public sealed class TopicTarget : FuzzTarget
{
    public override string Description => "Topics.Parse (MQTT topic names)";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Protocol"];

    public override FuzzOutcome Run(byte[] input)
    {
        var topic = Encoding.UTF8.GetString(input);
        var kind = Topics.Parse(topic, out var badgeId);
        if (kind == TopicKind.None)
        {
            return FuzzOutcome.Refused;
        }

        if (Build(kind, badgeId) != topic)
        {
            throw new FuzzInvariantException($"topic parsed as {kind} of badge {badgeId} but that builds another name");
        }

        return FuzzOutcome.Accepted;
    }

    private static string Build(TopicKind kind, string badgeId) => kind switch
    {
        TopicKind.UpAudio => Topics.UpAudio(badgeId),
        TopicKind.UpControl => Topics.UpControl(badgeId),
        TopicKind.UpState => Topics.UpState(badgeId),
        TopicKind.DownAudio => Topics.DownAudio(badgeId),
        TopicKind.DownControl => Topics.DownControl(badgeId),
        _ => throw new FuzzInvariantException($"Topics.Parse returned an unknown kind {kind}"),
    };

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Encoding.UTF8.GetBytes(Topics.UpAudio("kid-1"));
        yield return Encoding.UTF8.GetBytes(Topics.UpControl("anna"));
        yield return Encoding.UTF8.GetBytes(Topics.UpState("b0"));
        yield return Encoding.UTF8.GetBytes(Topics.DownAudio("warehouse-12"));
        yield return Encoding.UTF8.GetBytes(Topics.DownControl("x"));
        yield return Encoding.UTF8.GetBytes(Topics.DownFilter("anna"));
        yield return Encoding.UTF8.GetBytes(Topics.AllUplinks);
        yield return Encoding.UTF8.GetBytes(Topics.Prefix);
    }
}
