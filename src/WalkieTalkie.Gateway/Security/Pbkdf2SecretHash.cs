using System.Security.Cryptography;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// The format badge secrets were stored in before the site key: a salted PBKDF2-SHA256 hash,
/// <c>pbkdf2-sha256${iterations}${salt}${hash}</c> (base64). Such rows still log in, at PBKDF2's cost, and
/// <see cref="SecretHasher"/> rewrites each at its first successful login.
/// </summary>
public static class Pbkdf2SecretHash
{
    public const int DefaultIterations = 100_000;
    public const string Scheme = "pbkdf2-sha256";

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
