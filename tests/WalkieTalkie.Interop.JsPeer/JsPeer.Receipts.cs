using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

// Read receipts.
public sealed partial class JsPeer
{
    /// <summary>Sends a receipt (default <c>m.read</c>) for an event the peer has seen. js-sdk makes it threaded
    /// (<c>thread_id</c>) unless <paramref name="unthreaded"/>.</summary>
    public Task SendReceiptAsync(string roomId, string eventId, string type = "m.read", bool unthreaded = false,
        CancellationToken cancellationToken = default) =>
        SendAsync("sendReceipt", new { roomId, eventId, type, unthreaded }, cancellationToken: cancellationToken);

    /// <summary>The receipts the server has sent the peer so far (its own included, none of js-sdk's synthetic ones),
    /// filtered by whatever is given.</summary>
    public async Task<IReadOnlyList<SeenReceipt>> ReceiptsAsync(string? roomId = null, string? eventId = null, string? userId = null,
        CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("receipts", new { roomId, eventId, userId }, cancellationToken: cancellationToken);
        return (r["receipts"] as JsonArray ?? []).OfType<JsonObject>().Select(Receipt).ToList();
    }

    /// <summary>Waits for a receipt from the server matching the filters.</summary>
    public async Task<SeenReceipt> WaitForReceiptAsync(string roomId, string? eventId = null, string? userId = null, string? type = "m.read",
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Receipt(await SendAsync("waitForReceipt", new { roomId, eventId, userId, type, timeoutMs = Ms(timeout) }, cancellationToken: cancellationToken));

    private static SeenReceipt Receipt(JsonObject r) =>
        new(r.OptStr("roomId"), r.Str("eventId"), r.Str("type"), r.Str("userId"), r.OptLong("ts"), r.OptStr("threadId"));
}
