using System.Text.Json;

namespace WalkieTalkie.Bridge.Events;

/// <summary>
/// Parses the MSC4002 state events with every rule of docs/protocol.md. Each violation is a typed
/// <see cref="EventRejection"/>; no input makes these methods throw.
/// </summary>
public static class WalkieEventParser
{
    /// <summary>Parses <c>org.matrix.msc4002.channel</c> (state key "").</summary>
    public static Parsed<WalkieChannel> ParseChannel(RoomStateEvent ev)
    {
        if (CheckType(ev, WalkieEventTypes.Channel) is { } wrong)
        {
            return wrong;
        }

        if (ev.StateKey is null)
        {
            return Parsed<WalkieChannel>.Fail(RejectionCode.NotStateEvent, "the channel event needs a state_key");
        }

        if (ev.StateKey.Length != 0)
        {
            return Parsed<WalkieChannel>.Fail(RejectionCode.StateKeyNotEmpty,
                $"the channel event's state key must be \"\", not {EventRejection.Quote(ev.StateKey)}");
        }

        if (CheckObject(ev.Content) is { } notObject)
        {
            return notObject;
        }

        var c = ev.Content;
        if (JsonFields.RequireString(c, "name", out var name) is { } r1)
        {
            return r1;
        }

        if (name.Trim().Length == 0)
        {
            return Parsed<WalkieChannel>.Fail(RejectionCode.FieldOutOfRange, "\"name\" must not be blank", "name");
        }

        if (JsonFields.RequireInteger(c, "sample_rate", out var rate) is { } r2)
        {
            return r2;
        }

        if (!WalkieChannel.IsSupportedRate(rate))
        {
            return Parsed<WalkieChannel>.Fail(RejectionCode.FieldOutOfRange,
                $"\"sample_rate\" must be 8000 or 16000, not {rate}", "sample_rate");
        }

        if (JsonFields.OptionalInteger(c, "max_talk_ms", out var maxTalk) is { } r3)
        {
            return r3;
        }

        if (maxTalk is <= 0)
        {
            return Parsed<WalkieChannel>.Fail(RejectionCode.FieldOutOfRange, "\"max_talk_ms\" must be positive", "max_talk_ms");
        }

        if (JsonFields.OptionalInteger(c, "session_gap_ms", out var gap) is { } r4)
        {
            return r4;
        }

        if (gap is < 0)
        {
            return Parsed<WalkieChannel>.Fail(RejectionCode.FieldOutOfRange, "\"session_gap_ms\" must not be negative", "session_gap_ms");
        }

        return Parsed<WalkieChannel>.Ok(new WalkieChannel(name, (int)rate,
            maxTalk ?? WalkieChannel.DefaultMaxTalkMs, gap ?? WalkieChannel.DefaultSessionGapMs));
    }

    /// <summary>
    /// Parses <c>org.matrix.msc4002.accept</c>. Valid only from the device's own user; empty content (a
    /// redacted event) reads as a withdrawal.
    /// </summary>
    public static Parsed<WalkieAccept> ParseAccept(RoomStateEvent ev)
    {
        if (CheckType(ev, WalkieEventTypes.Accept) is { } wrong)
        {
            return wrong;
        }

        var key = DeviceKey.ParseStateKey(ev.StateKey);
        if (!key.IsValid)
        {
            return key.Rejection;
        }

        var device = key.Value;
        if (!string.Equals(ev.Sender, device.UserId, StringComparison.Ordinal))
        {
            return Parsed<WalkieAccept>.Fail(RejectionCode.SenderNotOwner,
                $"an accept for {EventRejection.Quote(device.UserId)} was sent by {EventRejection.Quote(ev.Sender)}; only a device's own user consents for it");
        }

        if (CheckObject(ev.Content) is { } notObject)
        {
            return notObject;
        }

        if (IsEmpty(ev.Content))
        {
            return Parsed<WalkieAccept>.Ok(new WalkieAccept(device, false));
        }

        if (CheckIds(ev.Content, device) is { } ids)
        {
            return ids;
        }

        if (JsonFields.RequireBool(ev.Content, "receive", out var receive) is { } r1)
        {
            return r1;
        }

        if (JsonFields.OptionalTimestamp(ev.Content, "expires_ts", out var expires) is { } r2)
        {
            return r2;
        }

        return Parsed<WalkieAccept>.Ok(new WalkieAccept(device, receive, expires));
    }

    /// <summary>
    /// Parses <c>org.matrix.msc4002.permit</c>. Valid only when the sender's level in
    /// <paramref name="powerLevelsAtEvent"/> (the room's power levels at the event) reaches the level for the
    /// permit type. Empty content (a redacted event) reads as a revocation.
    /// </summary>
    public static Parsed<WalkiePermit> ParsePermit(RoomStateEvent ev, RoomPowerLevels powerLevelsAtEvent)
    {
        if (CheckType(ev, WalkieEventTypes.Permit) is { } wrong)
        {
            return wrong;
        }

        var key = DeviceKey.ParseStateKey(ev.StateKey);
        if (!key.IsValid)
        {
            return key.Rejection;
        }

        var device = key.Value;
        if (!powerLevelsAtEvent.MaySendState(ev.Sender, WalkieEventTypes.Permit))
        {
            return Parsed<WalkiePermit>.Fail(RejectionCode.SenderLacksPower,
                $"{EventRejection.Quote(ev.Sender)} has power level {powerLevelsAtEvent.UserLevel(ev.Sender)}; granting needs {powerLevelsAtEvent.RequiredForState(WalkieEventTypes.Permit)}");
        }

        if (CheckObject(ev.Content) is { } notObject)
        {
            return notObject;
        }

        if (IsEmpty(ev.Content))
        {
            return Parsed<WalkiePermit>.Ok(WalkiePermit.Revoked(device));
        }

        if (CheckIds(ev.Content, device) is { } ids)
        {
            return ids;
        }

        if (JsonFields.RequireBool(ev.Content, "receive", out var receive) is { } r1)
        {
            return r1;
        }

        if (JsonFields.RequireBool(ev.Content, "send", out var send) is { } r2)
        {
            return r2;
        }

        if (JsonFields.OptionalBool(ev.Content, "priority", false, out var priority) is { } r3)
        {
            return r3;
        }

        if (JsonFields.OptionalTimestamp(ev.Content, "expires_ts", out var expires) is { } r4)
        {
            return r4;
        }

        return Parsed<WalkiePermit>.Ok(new WalkiePermit(device, receive, send, priority, expires));
    }

    private static EventRejection? CheckType(RoomStateEvent ev, string expected) =>
        string.Equals(ev.Type, expected, StringComparison.Ordinal)
            ? null
            : new EventRejection(RejectionCode.WrongType, $"expected {expected}, got {EventRejection.Quote(ev.Type)}");

    private static EventRejection? CheckObject(JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Object)
        {
            return new EventRejection(RejectionCode.ContentNotObject, "the content is not a JSON object");
        }

        return JsonText.IsValid(content)
            ? null
            : new EventRejection(RejectionCode.MalformedEvent, "the content holds a string or key that is not valid UTF-16 text (an escaped lone surrogate)");
    }

    private static bool IsEmpty(JsonElement content)
    {
        using var properties = content.EnumerateObject();
        return !properties.MoveNext();
    }

    private static EventRejection? CheckIds(JsonElement content, DeviceKey device)
    {
        if (JsonFields.RequireString(content, "user_id", out var userId) is { } r1)
        {
            return r1;
        }

        if (!string.Equals(userId, device.UserId, StringComparison.Ordinal))
        {
            return new EventRejection(RejectionCode.UserIdMismatch,
                $"content user_id {EventRejection.Quote(userId)} differs from the state key's {EventRejection.Quote(device.UserId)}", "user_id");
        }

        if (JsonFields.RequireString(content, "device_id", out var deviceId) is { } r2)
        {
            return r2;
        }

        if (!string.Equals(deviceId, device.DeviceId, StringComparison.Ordinal))
        {
            return new EventRejection(RejectionCode.DeviceIdMismatch,
                $"content device_id {EventRejection.Quote(deviceId)} differs from the state key's {EventRejection.Quote(device.DeviceId)}", "device_id");
        }

        return null;
    }
}
