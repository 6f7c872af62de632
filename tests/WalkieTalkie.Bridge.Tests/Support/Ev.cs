using System.Text.Json;
using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Tests.Support;

/// <summary>Builds room events for tests from short JSON content.</summary>
internal static class Ev
{
    public const string Anna = "@walkie-anna:example.org";
    public const string AnnaDevice = "WTANNA01";
    public const string Parent = "@mum:example.org";
    public const string Stranger = "@eve:example.org";
    public static readonly DeviceKey AnnaKey = new(Anna, AnnaDevice);

    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static RoomStateEvent State(string type, string? stateKey, string sender, string content, long ts = 1_000, string? id = null) =>
        new(type, stateKey, sender, Json(content), ts, id ?? $"$e{ts}");

    public static RoomStateEvent Accept(DeviceKey device, string sender, string content, long ts = 1_000) =>
        State(WalkieEventTypes.Accept, device.StateKey, sender, content, ts);

    public static RoomStateEvent Permit(DeviceKey device, string sender, string content, long ts = 1_000) =>
        State(WalkieEventTypes.Permit, device.StateKey, sender, content, ts);

    public static string AcceptContent(DeviceKey d, bool receive = true, long? expires = null) =>
        $$"""{"user_id":"{{d.UserId}}","device_id":"{{d.DeviceId}}","receive":{{Lower(receive)}}{{Expires(expires)}}}""";

    public static string PermitContent(DeviceKey d, bool receive = true, bool send = true, bool priority = false, long? expires = null) =>
        $$"""{"user_id":"{{d.UserId}}","device_id":"{{d.DeviceId}}","receive":{{Lower(receive)}},"send":{{Lower(send)}},"priority":{{Lower(priority)}}{{Expires(expires)}}}""";

    /// <summary>Power levels where the parent has 50 and the permit type needs 50 (what the gateway sets at link).</summary>
    public static RoomPowerLevels LinkedRoomPowerLevels() =>
        RoomPowerLevels.FromContent(Json($$$"""{"users":{"{{{Parent}}}":50,"@gateway:example.org":100},"events":{"{{{WalkieEventTypes.Permit}}}":50,"{{{WalkieEventTypes.Accept}}}":0}}"""));

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Lower(bool b) => b ? "true" : "false";
    private static string Expires(long? ms) => ms is null ? "" : $",\"expires_ts\":{ms}";
}
