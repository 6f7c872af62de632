using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// Which users' device lists changed for a reader between two stream positions (<c>device_lists</c> in /sync and
/// <c>/keys/changes</c>), by Synapse's rules: a key change of a user who shares a joined room with the reader (or
/// the reader itself); a user who newly shares a room is "changed"; one who no longer shares any room is "left".
/// </summary>
internal static class DeviceListTracker
{
    public static (SortedSet<string> Changed, SortedSet<string> Left) Between(HomeserverState state, string reader,
        long from, long to)
    {
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        var left = new SortedSet<string>(StringComparer.Ordinal);
        var sharing = state.UsersSharingRoomWith(reader);

        foreach (var (position, userId, visibleTo) in state.DeviceListChanges)
        {
            if (position > from && position <= to && (visibleTo is null ? sharing.Contains(userId) : visibleTo == reader))
            {
                changed.Add(userId);
            }
        }

        foreach (var room in state.Rooms.Values)
        {
            var readerJoinedNow = room.Membership(reader) == "join";
            foreach (var e in room.Events)
            {
                if (e.Position <= from || e.Position > to || e.Type != "m.room.member" || e.StateKey is not { } target)
                {
                    continue;
                }

                var membership = e.Event["content"]?["membership"]?.GetValue<string>();
                if (target == reader)
                {
                    // The reader joined: everyone there is new to it. The reader left: those it no longer meets.
                    if (membership == "join" && readerJoinedNow)
                    {
                        changed.UnionWith(room.MembersWith("join"));
                    }
                    else if (membership is "leave" or "ban")
                    {
                        left.UnionWith(room.MembersWith("join").Where(u => !sharing.Contains(u)));
                    }
                }
                else if (readerJoinedNow)
                {
                    if (membership == "join")
                    {
                        changed.Add(target);
                    }
                    else if (membership is "leave" or "ban" && !sharing.Contains(target))
                    {
                        left.Add(target);
                    }
                }
            }
        }
        left.Remove(reader);
        changed.ExceptWith(left);
        return (changed, left);
    }
}
