using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Events;

/// <summary>Content of <c>org.matrix.msc4002.accept</c>: a device's own consent to receive, or its withdrawal.</summary>
/// <param name="Device">The consenting device (also the state key).</param>
/// <param name="Receive">True to opt in, false to withdraw.</param>
/// <param name="ExpiresAt">When the consent lapses; null for good. Millisecond precision on the wire.</param>
public sealed record WalkieAccept(DeviceKey Device, bool Receive, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The content to send (from the device's own account).</summary>
    public JsonObject ToContent()
    {
        var content = new JsonObject
        {
            ["user_id"] = Device.UserId,
            ["device_id"] = Device.DeviceId,
            ["receive"] = Receive,
        };
        if (ExpiresAt is { } at)
        {
            content["expires_ts"] = at.ToUnixTimeMilliseconds();
        }

        return content;
    }

    /// <summary>True when the consent is on at <paramref name="now"/>.</summary>
    public bool IsInForceAt(DateTimeOffset now) => Receive && (ExpiresAt is null || now < ExpiresAt);
}
