using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Checks a badge's id and secret against the registry. PBKDF2 is slow on purpose; a secret once verified is
/// remembered (as a SHA-256, tied to the stored hash) so reconnects stay cheap, and a rotated secret misses the cache.
/// </summary>
public sealed class BadgeAuthenticator(IRegistryView registry)
{
    private readonly ConcurrentDictionary<string, (string StoredHash, byte[] Digest)> _verified = new();

    public bool Verify(string? badgeId, string? secret)
    {
        if (string.IsNullOrEmpty(badgeId) || string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var badge = registry.Snapshot.Badge(badgeId);
        if (badge is null)
        {
            return false;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_verified.TryGetValue(badgeId, out var known) && known.StoredHash == badge.SecretHash)
        {
            return CryptographicOperations.FixedTimeEquals(known.Digest, digest);
        }

        if (!SecretHasher.Verify(secret, badge.SecretHash))
        {
            return false;
        }

        _verified[badgeId] = (badge.SecretHash, digest);
        return true;
    }
}
