using System.Security.Cryptography;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// Badge secrets: generated random, shown once, stored only as a salted PBKDF2-SHA256 hash in the form
/// <c>pbkdf2-sha256${iterations}${salt}${hash}</c> (base64), so the iteration count can grow without breaking old rows.
/// </summary>
public static class SecretHasher
{
    public const int DefaultIterations = 100_000;
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>A new secret: 24 random bytes as URL-safe base64 (32 characters).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="secret"/> matches <paramref name="stored"/>; false for any malformed stored value.</summary>
    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
