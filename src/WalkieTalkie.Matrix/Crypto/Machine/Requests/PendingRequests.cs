using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine.Requests;

/// <summary>The requests handed out and not yet reported, each with what its response does. The machine's parts
/// register their own requests here; <see cref="OlmMachine.MarkRequestAsSent"/> and
/// <see cref="OlmMachine.MarkRequestAsFailed"/> come back through it to the part that asked.</summary>
internal sealed class PendingRequests
{
    private readonly Dictionary<string, PendingRequest> _pending = new();

    public static string NewRequestId() => Guid.NewGuid().ToString("N");

    /// <summary>Keeps <paramref name="request"/> pending until it is reported. Requests in the outgoing queue come back
    /// from <see cref="OlmMachine.OutgoingRequests"/>; the others only from the call that made them.</summary>
    public T Register<T>(T request, Action<JsonObject> onSent, Action? onFailed = null, bool inOutgoingQueue = true) where T : OutgoingRequest
    {
        _pending[request.RequestId] = new PendingRequest(request, onSent, onFailed ?? (() => { }), inOutgoingQueue);
        return request;
    }

    public bool Contains(string requestId) => _pending.ContainsKey(requestId);

    /// <summary>The request pending under this id, or null when it was reported (or never made).</summary>
    public OutgoingRequest? Find(string requestId) => _pending.GetValueOrDefault(requestId)?.Request;

    /// <summary>Splits <paramref name="items"/> into the pending requests that already cover some of them (one request
    /// per item in flight at most) and the items that need a new request.</summary>
    public (List<OutgoingRequest> InFlight, List<T> Uncovered) Covering<T>(IEnumerable<T> items, Func<T, string?> requestIdOf)
    {
        var inFlight = new List<OutgoingRequest>();
        var uncovered = new List<T>();
        foreach (var item in items)
        {
            if (requestIdOf(item) is { } id && Find(id) is { } request)
            {
                inFlight.Add(request);
            }
            else
            {
                uncovered.Add(item);
            }
        }
        return (inFlight, uncovered);
    }

    /// <summary>The pending requests of the outgoing queue.</summary>
    public IReadOnlyList<OutgoingRequest> Queued() => _pending.Values.Where(p => p.InOutgoingQueue).Select(p => p.Request).ToList();

    /// <summary>Hands a response to the request's part; false when no such request is pending.</summary>
    public bool Complete(string requestId, JsonObject response)
    {
        if (!_pending.Remove(requestId, out var pending))
        {
            return false;
        }

        pending.OnSent(response);
        return true;
    }

    /// <summary>Tells the request's part it was given up; false when no such request is pending.</summary>
    public bool Fail(string requestId)
    {
        if (!_pending.Remove(requestId, out var pending))
        {
            return false;
        }

        pending.OnFailed();
        return true;
    }

    private sealed record PendingRequest(OutgoingRequest Request, Action<JsonObject> OnSent, Action OnFailed, bool InOutgoingQueue);
}
