using System.Security.Cryptography;
using System.Text;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// Badge secrets: generated random (24 bytes, far beyond guessing), shown once, stored as
/// <c>hmac-sha256${salt}${mac}</c>, the HMAC-SHA-256 under the site key (<see cref="SiteKey"/>) of the salt, the badge id
/// and the secret. A slow password hash buys nothing for a secret this long (as with API tokens) and cost every
/// login 100,000 PBKDF2 rounds; the key keeps a stolen database useless without the data folder's key file. Checking
/// is constant-time and costs one HMAC whether the badge exists or not.
/// </summary>
public sealed class SecretHasher(SiteKey key)
{
    public const string Scheme = "hmac-sha256";
    private const int SaltBytes = 16;

    // What an unknown badge's secret is compared with: the same work as a real row, never a match.
    private static readonly byte[] NoSalt = new byte[SaltBytes];
    private static readonly byte[] NoMac = new byte[32];

    /// <summary>A new secret: 24 random bytes as URL-safe base64 (32 characters).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public string Hash(string badgeId, string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return $"{Scheme}${Convert.ToBase64String(salt)}${Convert.ToBase64String(Mac(salt, badgeId, secret))}";
    }

    /// <summary>
    /// Whether <paramref name="secret"/> is badge <paramref name="badgeId"/>'s, given what is stored for it (null: no such
    /// badge). A match on an old PBKDF2 row says so, for the caller to store <see cref="Hash"/> instead.
    /// </summary>
    public SecretMatch Verify(string badgeId, string secret, string? stored)
    {
        if (stored is not null && stored.StartsWith(Pbkdf2SecretHash.Scheme + "$", StringComparison.Ordinal))
        {
            return Pbkdf2SecretHash.Verify(secret, stored) ? SecretMatch.MatchesOldFormat : SecretMatch.NoMatch;
        }

        var valid = TryParse(stored, out var salt, out var expected);
        var actual = Mac(valid ? salt : NoSalt, badgeId, secret);
        return CryptographicOperations.FixedTimeEquals(actual, valid ? expected : NoMac) && valid ? SecretMatch.Matches : SecretMatch.NoMatch;
    }

    private byte[] Mac(byte[] salt, string badgeId, string secret)
    {
        var id = Encoding.UTF8.GetBytes(badgeId);
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var message = new byte[salt.Length + 2 + id.Length + secretBytes.Length];
        salt.CopyTo(message, 0);
        // The id's length first, so that no other (id, secret) pair gives the same bytes.
        message[salt.Length] = (byte)(id.Length >> 8);
        message[salt.Length + 1] = (byte)id.Length;
        id.CopyTo(message, salt.Length + 2);
        secretBytes.CopyTo(message, salt.Length + 2 + id.Length);
        return HMACSHA256.HashData(key.Bytes, message);
    }

    private static bool TryParse(string? stored, out byte[] salt, out byte[] mac)
    {
        salt = NoSalt;
        mac = NoMac;
        var parts = stored?.Split('$');
        if (parts is not { Length: 3 } || parts[0] != Scheme)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[1]);
            mac = Convert.FromBase64String(parts[2]);
            return salt.Length == SaltBytes && mac.Length == NoMac.Length;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
