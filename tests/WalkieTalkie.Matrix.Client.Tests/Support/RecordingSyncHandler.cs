using System.Collections.Concurrent;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>A sync handler that keeps every answer it accepted, feeds a room state tracker, and can be made to fail.</summary>
internal sealed class RecordingSyncHandler : ISyncResponseHandler
{
    private readonly ConcurrentQueue<(SyncResponse Response, string? Since)> _accepted = new();

    public RoomStateTracker Rooms { get; } = new();

    /// <summary>Called before an answer is accepted; throwing rejects it (nothing is recorded, the loop asks again).</summary>
    public Action<SyncResponse>? Inspect { get; set; }

    /// <summary>Every answer handed over, accepted or not, in order.</summary>
    public ConcurrentQueue<SyncResponse> Offered { get; } = new();

    public IReadOnlyList<(SyncResponse Response, string? Since)> Accepted => _accepted.ToArray();

    /// <summary>The token the last accepted answer gave (what a real handler would have persisted).</summary>
    public string? LastToken => _accepted.LastOrDefault().Response?.NextBatch;

    public Task HandleAsync(SyncResponse response, string? since, CancellationToken cancellationToken)
    {
        Offered.Enqueue(response);
        Inspect?.Invoke(response);
        Rooms.Apply(response);
        _accepted.Enqueue((response, since));
        return Task.CompletedTask;
    }

    /// <summary>The bodies of all accepted timeline events of a room, in order.</summary>
    public List<string> TimelineBodies(string roomId) =>
        Accepted.SelectMany(a => a.Response.Rooms?.Join?.GetValueOrDefault(roomId)?.Timeline?.Items ?? [])
            .Where(e => e.Type == "m.room.message")
            .Select(e => e.Content["body"]!.GetValue<string>())
            .ToList();

    /// <summary>All accepted to-device events.</summary>
    public List<ToDeviceEvent> ToDevice => Accepted.SelectMany(a => a.Response.ToDeviceEvents).ToList();
}
