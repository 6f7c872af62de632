using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WalkieTalkie.Gateway.Web.Sessions;

/// <summary>
/// One-use tickets for the WebSocket upgrade. A browser cannot put a header on a WebSocket request, and the widget's
/// session is a bearer token, not a cookie (Element's iframe is another site): so the page asks for a ticket with its
/// session and opens the socket with it in the query. A ticket names one device and lasts 30 seconds.
/// </summary>
public sealed class SocketTickets(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (string Device, DateTimeOffset Until)> _tickets = new(StringComparer.Ordinal);

    public string Issue(string deviceId)
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _tickets)
        {
            if (value.Until <= now)
            {
                _tickets.TryRemove(key, out _);
            }
        }

        var ticket = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        _tickets[ticket] = (deviceId, now + Lifetime);
        return ticket;
    }

    /// <summary>The device the ticket was issued for, or null (unknown, used, or expired). A ticket works once.</summary>
    public string? Redeem(string? ticket) =>
        ticket is not null && _tickets.TryRemove(ticket, out var entry) && entry.Until > time.GetUtcNow() ? entry.Device : null;
}
