using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WalkieTalkie.Gateway.Web.Sessions;

/// <summary>
/// Sessions of Matrix devices, as bearer tokens held by the page (in memory: a widget, or a page whose user signed out,
/// proves its user again with a new OpenID token, so nothing needs to survive a restart). Only a hash of each token is kept.
/// </summary>
public sealed class MatrixSessions(TimeProvider time, IOptions<WebOptions> options)
{
    private readonly ConcurrentDictionary<string, MatrixSession> _sessions = new(StringComparer.Ordinal);

    public string Create(string userId, string matrixDeviceId, string deviceId, string roomId)
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _sessions)
        {
            if (value.Until <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _sessions[Hash(token)] = new MatrixSession(userId, matrixDeviceId, deviceId, roomId, now + TimeSpan.FromHours(options.Value.SessionHours));
        return token;
    }

    public MatrixSession? Find(string token) =>
        _sessions.TryGetValue(Hash(token), out var session) && session.Until > time.GetUtcNow() ? session : null;

    public bool End(string token) => _sessions.TryRemove(Hash(token), out _);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
