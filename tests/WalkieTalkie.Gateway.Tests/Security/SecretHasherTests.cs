using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Security;

/// <summary>
/// Badge secrets under the site key: HMAC-SHA-256, one check whatever the id, the key kept 0600 in the data folder,
/// and rows of the old PBKDF2 format rewritten at their first successful login.
/// </summary>
public sealed class SecretHasherTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void The_site_key_is_made_once_readable_by_its_owner_only_and_kept()
    {
        var first = _db.Hasher;
        var path = Path.Combine(_db.Directory, SiteKey.FileName);
        Assert.Equal(32, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var hash = first.Hash("anna", "secret");
        Assert.Equal(SecretMatch.Matches, _db.Hasher.Verify("anna", "secret", hash)); // read back, not made anew
        Assert.Equal(SecretMatch.NoMatch, new SecretHasher(SiteKey.LoadOrCreate(Directory.CreateTempSubdirectory("wt-key-").FullName))
            .Verify("anna", "secret", hash));
    }

    [Fact]
    public void A_damaged_key_file_is_a_clear_error()
    {
        File.WriteAllBytes(Path.Combine(_db.Directory, SiteKey.FileName), [1, 2, 3]);
        Assert.Contains("not a site key", Assert.Throws<InvalidOperationException>(() => SiteKey.LoadOrCreate(_db.Directory)).Message);
    }

    [Fact]
    public void A_hash_binds_the_secret_to_its_badge()
    {
        var hasher = _db.Hasher;
        var hash = hasher.Hash("anna", "secret");
        Assert.StartsWith("hmac-sha256$", hash);
        Assert.Equal(SecretMatch.Matches, hasher.Verify("anna", "secret", hash));
        Assert.Equal(SecretMatch.NoMatch, hasher.Verify("anna", "secreT", hash));
        Assert.Equal(SecretMatch.NoMatch, hasher.Verify("annb", "secret", hash));
        Assert.Equal(SecretMatch.NoMatch, hasher.Verify("anna", "secret", null));
        Assert.Equal(SecretMatch.NoMatch, hasher.Verify("anna", "secret", "hmac-sha256$!!$??"));
        Assert.Equal(SecretMatch.NoMatch, hasher.Verify("anna", "secret", "md5$x"));
    }

    [Fact]
    public void An_old_pbkdf2_row_logs_in_and_is_rewritten_at_its_first_success_only()
    {
        _db.Badges.Add("anna");
        var old = Pbkdf2SecretHash.Hash("legacy-secret", 1000);
        using (var connection = _db.Database.Open())
        {
            SqliteDatabase.Execute(connection, "UPDATE badges SET secret_hash = $h WHERE id = 'anna'", ("$h", old));
        }

        var authenticator = _db.Authenticator(new FakeTimeProvider());
        Assert.False(authenticator.Verify("anna", "wrong"));
        Assert.Equal(old, Stored("anna"));

        Assert.True(authenticator.Verify("anna", "legacy-secret"));
        var rewritten = Stored("anna");
        Assert.StartsWith("hmac-sha256$", rewritten);
        Assert.Equal(SecretMatch.Matches, _db.Hasher.Verify("anna", "legacy-secret", rewritten));
        Assert.True(authenticator.Verify("anna", "legacy-secret"));
        Assert.False(authenticator.Verify("anna", "wrong"));
        Assert.Equal(rewritten, Stored("anna"));
    }

    [Fact]
    public void A_rotation_after_the_rewrite_wins()
    {
        _db.Badges.Add("anna");
        var old = Pbkdf2SecretHash.Hash("legacy-secret", 1000);
        using (var connection = _db.Database.Open())
        {
            SqliteDatabase.Execute(connection, "UPDATE badges SET secret_hash = $h WHERE id = 'anna'", ("$h", old));
        }

        var authenticator = _db.Authenticator(new FakeTimeProvider());
        Assert.True(authenticator.Verify("anna", "legacy-secret"));
        var fresh = _db.Badges.RotateSecret("anna");
        Assert.False(authenticator.Verify("anna", "legacy-secret"));
        Assert.True(authenticator.Verify("anna", fresh));
        Assert.False(_db.Badges.ReplaceSecretHash("anna", old, "hmac-sha256$x$y"));
    }

    private string Stored(string id) => _db.Badges.List().Single(b => b.Id == id).SecretHash;
}
