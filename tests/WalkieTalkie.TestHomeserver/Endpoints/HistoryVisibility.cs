using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// Which room events a user may see, by <c>m.room.history_visibility</c> as it was at each event (spec "History
/// visibility"): <c>world_readable</c> everyone; <c>shared</c> anyone joined at the event or joined now;
/// <c>invited</c> anyone invited or joined at the event; <c>joined</c> only those joined at the event. A user's own
/// membership event counts with its new membership, so a joining user sees its join. State is never filtered.
/// </summary>
internal static class HistoryVisibility
{
    /// <summary>The stream positions of the events of <paramref name="room"/> that <paramref name="userId"/> may see.</summary>
    public static HashSet<long> VisiblePositions(Room room, string userId)
    {
        var visible = new HashSet<long>();
        var joinedNow = room.Membership(userId) == "join";
        var visibility = "shared";
        var membership = "leave";
        foreach (var e in room.Events)
        {
            var membershipAt = e.Type == "m.room.member" && e.StateKey == userId ? MembershipOf(e) : membership;
            var allowed = membershipAt == "join" || visibility switch
            {
                "world_readable" => true,
                "shared" => joinedNow,
                "invited" => membershipAt == "invite",
                _ => false,
            };
            if (allowed)
            {
                visible.Add(e.Position);
            }

            if (e.Type == "m.room.member" && e.StateKey == userId)
            {
                membership = membershipAt;
            }

            if (e.Type == "m.room.history_visibility" && e.StateKey == "")
            {
                visibility = e.Event["content"]?["history_visibility"]?.GetValue<string>() ?? "shared";
            }
        }
        return visible;
    }

    private static string MembershipOf(StoredEvent e) => e.Event["content"]?["membership"]?.GetValue<string>() ?? "leave";
}
