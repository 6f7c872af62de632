using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary><c>PUT /sendToDevice/{type}/{txnId}</c>: idempotent per device and transaction id; each message is
/// queued for its target device(s) until a later /sync acknowledges it.</summary>
internal static class ToDeviceEndpoints
{
    /// <summary>Synapse's <c>MAX_TO_DEVICE_CONTENT_SIZE</c>, per (user, device) content.</summary>
    private const int MaxContentSize = 65536;

    public static void Map(WebApplication app, ServerContext s) =>
        app.MapPut("/_matrix/client/v3/sendToDevice/{eventType}/{txnId}", async (HttpContext http, string eventType, string txnId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var sender = s.Authenticate(http);
                if (!sender.ToDeviceTransactions.Add(eventType + "\n" + txnId))
                {
                    return Json.Empty();
                }

                var messages = body.OptionalObject("messages") ?? throw MatrixException.MissingParam("Missing 'messages'");
                var deliveries = new List<(Device Target, JsonObject Content)>();
                foreach (var (userId, perDevice) in messages)
                {
                    if (perDevice is not JsonObject devices)
                    {
                        throw MatrixException.BadJson("messages must map users to devices");
                    }
                    // Unknown users and devices are dropped silently, as Synapse does.
                    if (!s.State.Accounts.TryGetValue(userId, out var account))
                    {
                        continue;
                    }

                    foreach (var (deviceId, contentNode) in devices)
                    {
                        var content = contentNode as JsonObject ?? throw MatrixException.BadJson("to-device content must be an object");
                        if (Encoding.UTF8.GetByteCount(content.ToJsonString()) > MaxContentSize)
                        {
                            sender.ToDeviceTransactions.Remove(eventType + "\n" + txnId);
                            throw MatrixException.TooLarge("to-device content too large");
                        }
                        var targets = deviceId == "*" ? account.Devices.Values.ToList()
                            : account.Devices.TryGetValue(deviceId, out var one) ? [one] : [];
                        deliveries.AddRange(targets.Select(t => (t, content)));
                    }
                }
                if (eventType == "m.room_key_request")
                {
                    s.Limit(s.Switches.KeyRequests, "rc_key_requests", sender.UserId, 20, 100);
                }

                foreach (var (target, content) in deliveries)
                {
                    target.Inbox.Add(new ToDeviceMessage(s.State.Advance(), sender.UserId, eventType, (JsonObject)content.DeepClone()));
                }

                return Json.Empty();
            }
        });
}
