using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Events;

/// <summary>Content of <c>org.matrix.msc4002.permit</c>: what a user with the power to grant allows a device.</summary>
/// <param name="Device">The device (also the state key).</param>
/// <param name="Receive">May receive broadcasts.</param>
/// <param name="Send">May broadcast (meaningful only with <paramref name="Receive"/>).</param>
/// <param name="Priority">May preempt a talker.</param>
/// <param name="ExpiresAt">When the permit ends; null for good. Millisecond precision on the wire.</param>
public sealed record WalkiePermit(DeviceKey Device, bool Receive, bool Send, bool Priority = false, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>A revocation: a permit with nothing allowed.</summary>
    public static WalkiePermit Revoked(DeviceKey device) => new(device, false, false);

    /// <summary>The content to send (from an account with the power to grant).</summary>
    public JsonObject ToContent()
    {
        var content = new JsonObject
        {
            ["user_id"] = Device.UserId,
            ["device_id"] = Device.DeviceId,
            ["receive"] = Receive,
            ["send"] = Send,
            ["priority"] = Priority,
        };
        if (ExpiresAt is { } at)
        {
            content["expires_ts"] = at.ToUnixTimeMilliseconds();
        }

        return content;
    }

    /// <summary>True when the permit grants receiving at <paramref name="now"/>.</summary>
    public bool IsInForceAt(DateTimeOffset now) => Receive && (ExpiresAt is null || now < ExpiresAt);
}
