using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Checks a badge's id and secret against the registry, for every transport and the HTTP endpoint alike: one HMAC
/// per check whether the id exists or not (<see cref="SecretHasher"/>), behind the <see cref="LoginThrottle"/>. A
/// secret still stored in the old PBKDF2 format is rewritten at its first successful login.
/// </summary>
public sealed class BadgeAuthenticator(IRegistryView registry, SecretHasher hasher, IBadgeStore badges, LoginThrottle throttle,
    ILogger<BadgeAuthenticator> logger)
{
    // Rows rewritten here, until the registry snapshot is reloaded with them: (old hash, new hash) by badge.
    private readonly ConcurrentDictionary<string, (string From, string To)> _rewritten = new(StringComparer.Ordinal);

    /// <summary>A login: refused at once while the id or the address backs off, else checked (and counted when it fails).</summary>
    public LoginResult Login(string? badgeId, string? secret, IPAddress? address)
    {
        if (throttle.RetryAfter(badgeId, address) is { } wait)
        {
            return LoginResult.Throttled(wait);
        }

        if (Verify(badgeId, secret))
        {
            throttle.Succeeded(badgeId!);
            return LoginResult.Accepted;
        }

        throttle.Failed(badgeId, address);
        return LoginResult.Refused;
    }

    /// <summary>Whether <paramref name="secret"/> is badge <paramref name="badgeId"/>'s (no throttle: see <see cref="Login"/>).</summary>
    public bool Verify(string? badgeId, string? secret)
    {
        if (string.IsNullOrEmpty(badgeId) || string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var stored = registry.Snapshot.Badge(badgeId)?.SecretHash;
        if (stored is not null && _rewritten.TryGetValue(badgeId, out var rewrite) && rewrite.From == stored)
        {
            stored = rewrite.To;
        }

        var match = hasher.Verify(badgeId, secret, stored);
        if (match == SecretMatch.MatchesOldFormat)
        {
            Rewrite(badgeId, secret, stored!);
        }

        return match != SecretMatch.NoMatch;
    }

    private void Rewrite(string badgeId, string secret, string stored)
    {
        var fresh = hasher.Hash(badgeId, secret);
        try
        {
            if (badges.ReplaceSecretHash(badgeId, stored, fresh))
            {
                _rewritten[badgeId] = (stored, fresh);
                logger.LogInformation("Badge {Badge}'s secret is now stored as {Scheme} (was {Old})", badgeId, SecretHasher.Scheme, Pbkdf2SecretHash.Scheme);
            }
        }
        catch (Exception e)
        {
            // Whatever the store behind the port throws, the login stands; the row is rewritten at a later one.
            logger.LogWarning("Could not rewrite badge {Badge}'s secret hash: {Error}", badgeId, e.Message);
        }
    }
}
