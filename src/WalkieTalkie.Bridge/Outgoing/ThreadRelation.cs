using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>
/// An <c>m.thread</c> relation: the session's root, and as the reply fallback for clients without threads the
/// latest event of the thread known when the burst is sent.
/// </summary>
/// <param name="RootEventId">The thread root (the session's first burst).</param>
/// <param name="LatestEventId">The latest event of the thread, for <c>m.in_reply_to</c> with <c>is_falling_back</c>.</param>
public sealed record ThreadRelation(string RootEventId, string LatestEventId)
{
    /// <summary>The <c>m.relates_to</c> object.</summary>
    public JsonObject ToJson() => new()
    {
        ["rel_type"] = "m.thread",
        ["event_id"] = RootEventId,
        ["is_falling_back"] = true,
        ["m.in_reply_to"] = new JsonObject { ["event_id"] = LatestEventId },
    };
}
