using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>Shapes stored events for a given reader, as the spec's client event format has them.</summary>
internal static class ClientEvents
{
    /// <summary>The event with <c>unsigned.age</c>, and <c>unsigned.transaction_id</c> only for the device that
    /// sent it (that is how a client matches its local echo).</summary>
    public static JsonObject For(StoredEvent stored, HomeserverState state, Device? reader, bool withRoomId = true)
    {
        var ev = (JsonObject)stored.Event.DeepClone();
        if (!withRoomId)
        {
            ev.Remove("room_id");
        }

        var unsigned = (JsonObject)ev["unsigned"]!;
        unsigned["age"] = state.NowMs - ev["origin_server_ts"]!.GetValue<long>();
        if (reader is not null && stored.TransactionId is not null && stored.Sender == reader.UserId
            && stored.SenderDeviceId == reader.DeviceId)
        {
            unsigned["transaction_id"] = stored.TransactionId;
        }

        return ev;
    }

    public static JsonArray List(IEnumerable<StoredEvent> events, HomeserverState state, Device? reader, bool withRoomId = true) =>
        new(events.Select(e => (JsonNode)For(e, state, reader, withRoomId)).ToArray());

    /// <summary>A stripped state event (invite state): type, state_key, sender, content.</summary>
    public static JsonObject Stripped(StoredEvent stored) => new()
    {
        ["type"] = stored.Type,
        ["state_key"] = stored.StateKey,
        ["sender"] = stored.Sender,
        ["content"] = stored.Event["content"]!.DeepClone(),
    };
}
