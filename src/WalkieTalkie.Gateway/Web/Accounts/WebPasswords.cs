using Microsoft.AspNetCore.Identity;

namespace WalkieTalkie.Gateway.Web.Accounts;

/// <summary>Password hashes of web accounts: ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2, versioned format).</summary>
public static class WebPasswords
{
    private static readonly PasswordHasher<string> Hasher = new();

    // A hash no password matches, verified when the user does not exist, so that a wrong name costs as long as a wrong password.
    private static readonly string Decoy = Hasher.HashPassword("", Guid.NewGuid().ToString("N"));

    public static string Hash(string password) => Hasher.HashPassword("", password);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; a null hash (no such user) never matches.</summary>
    public static bool Verify(string? hash, string password)
    {
        var result = Hasher.VerifyHashedPassword("", hash ?? Decoy, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }
}
