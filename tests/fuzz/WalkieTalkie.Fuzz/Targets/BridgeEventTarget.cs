using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// The MSC4002 event parsers on one client-format event (JSON text): <see cref="RoomStateEvent.FromJson(string)"/>,
/// then <see cref="WalkieEventParser"/>'s channel, accept and permit rules on the event as it came and with its type
/// set to each of the three (so content rules are reached whatever the type says), the power levels read from the
/// content, and <see cref="WalkieStateEvents.PowerLevelsForLink"/>. None of them may throw: every refusal is an
/// <see cref="EventRejection"/>, except that PowerLevelsForLink refuses content it cannot rewrite faithfully with
/// <see cref="FormatException"/>. An accepted channel, accept or permit, written back with its own <c>ToContent</c>
/// and parsed again, must give the same value.
/// </summary>
public sealed class BridgeEventTarget : FuzzTarget
{
    private const string Granter = "@granter:example.org";

    public override string Description => "RoomStateEvent.FromJson and WalkieEventParser (channel, accept, permit), power levels";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Bridge"];

    public override FuzzOutcome Run(byte[] input)
    {
        var parsed = RoomStateEvent.FromJson(Encoding.UTF8.GetString(input));
        if (!parsed.IsValid)
        {
            return FuzzOutcome.Refused;
        }

        var ev = parsed.Value;
        var levels = RoomPowerLevels.FromContent(ev.Content, [Granter]);
        Outcome<FormatException>(() => WalkieStateEvents.PowerLevelsForLink(ev.Content));
        var accepted = false;
        foreach (var type in new[] { ev.Type, WalkieEventTypes.Channel, WalkieEventTypes.Accept, WalkieEventTypes.Permit })
        {
            var typed = ev with { Type = type };
            accepted |= RoundTrips(typed, WalkieEventParser.ParseChannel, channel => channel.ToContent(), "channel")
                | RoundTrips(typed, WalkieEventParser.ParseAccept, accept => accept.ToContent(), "accept")
                | RoundTrips(typed, e => WalkieEventParser.ParsePermit(e, levels), permit => permit.ToContent(), "permit");
        }

        return accepted ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }

    /// <summary>Parses <paramref name="ev"/>; an accepted value, written back as content and parsed again, must be equal.</summary>
    private static bool RoundTrips<T>(RoomStateEvent ev, Func<RoomStateEvent, Parsed<T>> parse, Func<T, JsonObject> toContent, string what)
        where T : class
    {
        var parsed = parse(ev);
        if (!parsed.IsValid)
        {
            return false;
        }

        var again = parse(ev with { Content = JsonSerializer.SerializeToElement(toContent(parsed.Value)) });
        if (!again.IsValid || !again.Value.Equals(parsed.Value))
        {
            throw new FuzzInvariantException($"an accepted {what} reads back differently after ToContent ({again.Rejection?.ToString() ?? "another value"})");
        }

        return true;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        var device = DeviceKey.Create("@walkie-anna:example.org", "BADGEANNA");
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var events = new[]
        {
            WalkieStateEvents.Channel(new WalkieChannel("Family", 8000), Granter, at),
            WalkieStateEvents.Channel(new WalkieChannel("Shop floor", 16000, 60_000, 0), Granter, at),
            WalkieStateEvents.Accept(new WalkieAccept(device, true, at.AddDays(1)), at),
            WalkieStateEvents.Accept(new WalkieAccept(device, false), at),
            WalkieStateEvents.Permit(new WalkiePermit(device, true, true, true, at.AddHours(2)), Granter, at),
            WalkieStateEvents.Permit(WalkiePermit.Revoked(device), Granter, at),
        };
        foreach (var outgoing in events)
        {
            var json = ClientEvent(outgoing.Type, outgoing.StateKey, outgoing.SendAs, outgoing.Content);
            yield return json;
            yield return Truncated(json, json.Length / 2);
        }

        var powerLevels = WalkieStateEvents.PowerLevelsForLink(JsonSerializer.SerializeToElement(new JsonObject
        {
            ["users"] = new JsonObject { [Granter] = 100, ["@walkie-anna:example.org"] = "50" },
            ["state_default"] = 50,
        }))!;
        yield return ClientEvent(WalkieEventTypes.PowerLevels, "", Granter, powerLevels);
    }

    /// <summary>An event as sync delivers it: the envelope around content the gateway's own builders made.</summary>
    private static byte[] ClientEvent(string type, string stateKey, string sender, JsonObject content) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = type,
            ["state_key"] = stateKey,
            ["sender"] = sender,
            ["content"] = content.DeepClone(),
            ["origin_server_ts"] = 1_700_000_000_000,
            ["event_id"] = "$event:example.org",
        }.ToJsonString());

    public override IEnumerable<string> DictionaryTokens() =>
    [
        "\"type\"", "\"state_key\"", "\"sender\"", "\"content\"", "\"origin_server_ts\"", "\"name\"", "\"sample_rate\"",
        "\"max_talk_ms\"", "\"session_gap_ms\"", "\"user_id\"", "\"device_id\"", "\"receive\"", "\"send\"", "\"priority\"",
        "\"expires_ts\"", "\"users\"", "\"events\"", "\"users_default\"", "\"state_default\"", "\"device/",
        WalkieEventTypes.Channel, WalkieEventTypes.Accept, WalkieEventTypes.Permit, WalkieEventTypes.PowerLevels,
        "true", "false", "null", "9007199254740991", "-9007199254740991", "1e3", "-0", "\\u0000", "\\ud800", "\\udc00", "\\\"",
    ];
}
