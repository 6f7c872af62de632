using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// Builds one /sync response for a device from a since position to the current position. Call under the state
/// lock. Building acknowledges (deletes) the to-device messages the since token covers: they were delivered in
/// the response that handed out that token, so they are delivered exactly once unless a client repeats a since.
/// As Synapse, a response carries at most <see cref="ToDeviceLimit"/> to-device messages; the token then records how
/// far the inbox went, and the rest come in the next responses (which return at once).
/// </summary>
internal sealed class SyncBuilder(HomeserverState state, Account account, Device device, long? since, long? toDeviceSince,
    RoomSyncFilter filter, bool fullState)
{
    /// <summary>Synapse's to-device messages per /sync response.</summary>
    public const int ToDeviceLimit = 100;

    private long _toDeviceUpTo;

    /// <summary>True when the response carries nothing a long-poll should return early for.</summary>
    public bool IsEmpty { get; private set; } = true;

    public JsonObject Build()
    {
        var position = state.Position;
        _toDeviceUpTo = position;
        var response = new JsonObject
        {
            ["rooms"] = Rooms(),
            ["to_device"] = new JsonObject { ["events"] = ToDevice() },
            ["account_data"] = new JsonObject { ["events"] = AccountData() },
            ["presence"] = new JsonObject { ["events"] = new JsonArray() },
            ["device_one_time_keys_count"] = OneTimeKeyCounts(device),
        };
        var fallbackTypes = new JsonArray(device.FallbackKeys.Where(f => !f.Value.Used).Select(f => (JsonNode)f.Key).ToArray());
        response["device_unused_fallback_key_types"] = fallbackTypes;
        response["org.matrix.msc2732.device_unused_fallback_key_types"] = fallbackTypes.DeepClone();
        response["next_batch"] = StreamToken.FormatSync(position, _toDeviceUpTo);

        if (since is { } from)
        {
            var (changed, left) = DeviceListTracker.Between(state, account.UserId, from, position);
            response["device_lists"] = new JsonObject
            {
                ["changed"] = new JsonArray(changed.Select(u => (JsonNode)u).ToArray()),
                ["left"] = new JsonArray(left.Select(u => (JsonNode)u).ToArray()),
            };
            if (changed.Count + left.Count > 0)
            {
                IsEmpty = false;
            }
        }
        return response;
    }

    /// <summary>Counts of unclaimed one-time keys per algorithm; <c>signed_curve25519</c> is always present.</summary>
    public static JsonObject OneTimeKeyCounts(Device device)
    {
        var counts = new JsonObject { ["signed_curve25519"] = 0 };
        foreach (var group in device.OneTimeKeys.Keys.GroupBy(k => k.Split(':')[0]))
        {
            counts[group.Key] = group.Count();
        }

        return counts;
    }

    private JsonArray ToDevice()
    {
        if (toDeviceSince is { } acknowledged)
        {
            device.Inbox.RemoveAll(m => m.Position <= acknowledged);
        }

        if (device.Inbox.Count > 0)
        {
            IsEmpty = false;
        }

        var batch = device.Inbox.Take(ToDeviceLimit).ToList();
        if (batch.Count < device.Inbox.Count)
        {
            _toDeviceUpTo = batch[^1].Position;
        }

        return new JsonArray(batch.Select(m => (JsonNode)new JsonObject
        {
            ["sender"] = m.Sender,
            ["type"] = m.Type,
            ["content"] = m.Content.DeepClone(),
        }).ToArray());
    }

    private JsonArray AccountData()
    {
        var events = account.AccountData
            .Where(a => since is null || a.Value.Position > since)
            .Select(a => (JsonNode)new JsonObject { ["type"] = a.Key, ["content"] = a.Value.Content.DeepClone() })
            .ToArray();
        if (since is not null && events.Length > 0)
        {
            IsEmpty = false;
        }

        return new JsonArray(events);
    }

    private JsonObject Rooms()
    {
        var join = new JsonObject();
        var invite = new JsonObject();
        var leave = new JsonObject();
        foreach (var room in state.Rooms.Values)
        {
            var member = room.MemberEvent(account.UserId);
            if (member is null || !filter.Includes(room.RoomId))
            {
                continue;
            }

            var isNew = since is null || member.Position > since;
            switch (room.Membership(account.UserId))
            {
                case "join":
                    if (JoinedRoom(room, member) is { } joined)
                    {
                        join[room.RoomId] = joined;
                    }

                    break;
                case "invite" when isNew:
                    invite[room.RoomId] = new JsonObject
                    {
                        ["invite_state"] = new JsonObject { ["events"] = InviteState(room, member) },
                    };
                    break;
                case "leave" or "ban" when isNew && since is not null:
                    leave[room.RoomId] = LeftRoom(room, member);
                    break;
            }
        }
        if (since is not null && join.Count + invite.Count + leave.Count > 0)
        {
            IsEmpty = false;
        }

        return new JsonObject { ["join"] = join, ["invite"] = invite, ["leave"] = leave, ["knock"] = new JsonObject() };
    }

    private JsonObject? JoinedRoom(Room room, StoredEvent member)
    {
        // A room joined after since is sent whole (state + latest timeline), as an initial sync would.
        var whole = since is null || fullState || member.Position > since;
        var visible = HistoryVisibility.VisiblePositions(room, account.UserId);
        var changes = room.Events.Where(e => (whole || e.Position > since) && visible.Contains(e.Position)).ToList();
        var candidates = changes.Where(filter.Timeline.Includes).ToList();
        var ephemeral = new JsonArray();
        if (ReceiptEndpoints.ReceiptEvent(room, account.UserId, whole ? null : since) is { } receipts)
        {
            ephemeral.Add(receipts);
        }

        var roomAccountData = new JsonArray(account.RoomAccountData
            .Where(a => a.Key.RoomId == room.RoomId && (whole || a.Value.Position > since))
            .Select(a => (JsonNode)new JsonObject { ["type"] = a.Key.Type, ["content"] = a.Value.Content.DeepClone() })
            .ToArray());
        if (candidates.Count == 0 && ephemeral.Count == 0 && roomAccountData.Count == 0)
        {
            return null;
        }

        var timeline = candidates.Skip(Math.Max(0, candidates.Count - filter.TimelineLimit)).ToList();
        var limited = timeline.Count < candidates.Count;
        var timelineStart = timeline.Count > 0 ? timeline[0].Position : state.Position + 1;

        IEnumerable<StoredEvent> stateEvents;
        if (whole)
        {
            stateEvents = room.StateBefore(timelineStart).Values.Where(filter.State.Includes);
        }
        else if (limited)
        {
            stateEvents = changes.Where(e => e.Position < timelineStart && e.StateKey is not null && filter.State.Includes(e))
                .GroupBy(e => (e.Type, e.StateKey)).Select(g => g.Last());
        }
        else
        {
            stateEvents = [];
        }

        return new JsonObject
        {
            ["timeline"] = new JsonObject
            {
                ["events"] = ClientEvents.List(timeline, state, device, withRoomId: false),
                ["limited"] = limited,
                ["prev_batch"] = StreamToken.Format(timelineStart - 1),
            },
            ["state"] = new JsonObject { ["events"] = ClientEvents.List(stateEvents, state, device, withRoomId: false) },
            ["ephemeral"] = new JsonObject { ["events"] = ephemeral },
            ["account_data"] = new JsonObject { ["events"] = roomAccountData },
            ["unread_notifications"] = new JsonObject { ["notification_count"] = 0, ["highlight_count"] = 0 },
            ["summary"] = new JsonObject(),
        };
    }

    private JsonObject LeftRoom(Room room, StoredEvent member)
    {
        var visible = HistoryVisibility.VisiblePositions(room, account.UserId);
        var candidates = room.Events.Where(e => e.Position > since && e.Position <= member.Position && visible.Contains(e.Position)).ToList();
        var timeline = candidates.Skip(Math.Max(0, candidates.Count - filter.TimelineLimit)).ToList();
        return new JsonObject
        {
            ["timeline"] = new JsonObject
            {
                ["events"] = ClientEvents.List(timeline, state, device, withRoomId: false),
                ["limited"] = timeline.Count < candidates.Count,
                ["prev_batch"] = StreamToken.Format((timeline.FirstOrDefault()?.Position ?? member.Position) - 1),
            },
            ["state"] = new JsonObject { ["events"] = new JsonArray() },
            ["account_data"] = new JsonObject { ["events"] = new JsonArray() },
        };
    }

    /// <summary>Synapse's default <c>room_prejoin_state</c>, plus the invite itself.</summary>
    private static JsonArray InviteState(Room room, StoredEvent member)
    {
        string[] types = ["m.room.create", "m.room.join_rules", "m.room.canonical_alias", "m.room.avatar",
            "m.room.encryption", "m.room.name", "m.room.topic"];
        var events = types.Select(t => room.State.GetValueOrDefault((t, "")))
            .OfType<StoredEvent>()
            .Select(ClientEvents.Stripped)
            .Append(ClientEvents.Stripped(member));
        return new JsonArray(events.Select(e => (JsonNode)e).ToArray());
    }
}
