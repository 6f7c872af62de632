using System.Text;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Tests.Registry;

/// <summary>
/// Provisioning: a badge's secret is random, returned once, and stored only as a salted hash. Run against every
/// storage provider (<see cref="SqliteBadgeStoreTests"/>, <see cref="PostgresBadgeStoreTests"/>).
/// </summary>
public abstract class BadgeStoreContract(RegistryStores db) : IDisposable
{
    private readonly RegistryStores _db = db;

    public void Dispose()
    {
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void The_secret_is_returned_once_and_never_stored()
    {
        var secret = _db.Badges.Add("anna", "Anna");
        Assert.Equal(32, secret.Length);

        var record = Assert.Single(_db.Badges.List());
        Assert.Equal("anna", record.Id);
        Assert.Equal("Anna", record.Name);
        Assert.DoesNotContain(secret, record.SecretHash);
        Assert.StartsWith("hmac-sha256$", record.SecretHash);
        Assert.Equal(SecretMatch.Matches, _db.Hasher.Verify("anna", secret, record.SecretHash));

        // Nothing in the database files holds the secret (WAL included).
        foreach (var file in _db.StoredFiles())
        {
            var text = Encoding.Latin1.GetString(ReadIfStillThere(file));
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public void Secrets_differ_and_so_do_hashes_of_one_secret()
    {
        var a = _db.Badges.Add("anna");
        var b = _db.Badges.Add("ben");
        Assert.NotEqual(a, b);
        Assert.NotEqual(_db.Hasher.Hash("anna", a), _db.Hasher.Hash("anna", a));
    }

    [Fact]
    public void Verify_refuses_a_wrong_secret_and_malformed_stored_values()
    {
        var hash = Pbkdf2SecretHash.Hash("right");
        Assert.StartsWith($"pbkdf2-sha256${Pbkdf2SecretHash.DefaultIterations}$", hash);
        Assert.True(Pbkdf2SecretHash.Verify("right", hash));
        Assert.False(Pbkdf2SecretHash.Verify("wrong", hash));
        Assert.False(Pbkdf2SecretHash.Verify("right", ""));
        Assert.False(Pbkdf2SecretHash.Verify("right", "pbkdf2-sha256$x$y$z"));
        Assert.False(Pbkdf2SecretHash.Verify("right", "pbkdf2-sha256$1000$!!!$???"));
        Assert.False(Pbkdf2SecretHash.Verify("right", "md5$1$a$b"));
    }

    [Fact]
    public void Rotating_gives_a_new_secret_and_the_old_one_stops_working()
    {
        var old = _db.Badges.Add("anna");
        var authenticator = _db.Authenticator();
        Assert.True(authenticator.Verify("anna", old));

        var fresh = _db.Badges.RotateSecret("anna");
        Assert.NotEqual(old, fresh);
        Assert.False(authenticator.Verify("anna", old));
        Assert.True(authenticator.Verify("anna", fresh));
    }

    [Fact]
    public void The_authenticator_refuses_unknown_badges_empty_and_wrong_secrets()
    {
        var secret = _db.Badges.Add("anna");
        var authenticator = _db.Authenticator();
        Assert.False(authenticator.Verify("ben", secret));
        Assert.False(authenticator.Verify("anna", ""));
        Assert.False(authenticator.Verify(null, secret));
        Assert.False(authenticator.Verify("anna", secret + "x"));
        Assert.True(authenticator.Verify("anna", secret));
        Assert.False(authenticator.Verify("anna", secret + "x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-anna")]
    [InlineData("Anna")]
    [InlineData("anna/+")]
    [InlineData("a23456789012345678901234567890123")]
    public void Invalid_badge_ids_are_refused(string id) =>
        Assert.Throws<RegistryException>(() => _db.Badges.Add(id));

    [Fact]
    public void Duplicates_and_unknown_badges_are_clear_errors()
    {
        _db.Badges.Add("anna");
        Assert.Contains("already exists", Assert.Throws<RegistryException>(() => _db.Badges.Add("anna")).Message);
        Assert.Contains("no badge", Assert.Throws<RegistryException>(() => _db.Badges.Remove("ben")).Message);
        Assert.Throws<RegistryException>(() => _db.Badges.RotateSecret("ben"));
    }

    [Fact]
    public void Removing_a_badge_removes_its_memberships_and_permits()
    {
        _db.Badges.Add("anna");
        _db.Channels.Add(1, "family");
        _db.Channels.Join(1, "anna");
        _db.Permits.Grant("anna", 1, PermitBits.Known, null, "mum", true);
        _db.Badges.Remove("anna");
        var snapshot = _db.Snapshot();
        Assert.Empty(snapshot.Badges);
        Assert.Empty(snapshot.Members(1));
        Assert.Empty(snapshot.Permits);
    }

    [Fact]
    public void Every_registry_change_moves_the_config_version()
    {
        var v0 = _db.Reader.Version();
        _db.Badges.Add("anna");
        var v1 = _db.Reader.Version();
        _db.Channels.Add(1, "family");
        var v2 = _db.Reader.Version();
        _db.Channels.Join(1, "anna");
        var v3 = _db.Reader.Version();
        Assert.True(v0 < v1 && v1 < v2 && v2 < v3);
        Assert.Equal(v3, _db.Snapshot().Version);
    }

    [Fact]
    public void Channel_values_are_checked()
    {
        Assert.Throws<RegistryException>(() => _db.Channels.Add(256, "x"));
        Assert.Throws<RegistryException>(() => _db.Channels.Add(1, "x", 44100));
        Assert.Throws<RegistryException>(() => _db.Channels.Add(1, "x", 8000, 0));
        _db.Channels.Add(1, "x");
        Assert.Throws<RegistryException>(() => _db.Channels.Add(1, "y"));
        Assert.Throws<RegistryException>(() => _db.Channels.Join(1, "nobody"));
    }

    // A server's own working files (statistics, temporary files) may go between listing and reading.
    private static byte[] ReadIfStillThere(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }
}

public sealed class SqliteBadgeStoreTests() : BadgeStoreContract(new SqliteRegistryStores());

public sealed class PostgresBadgeStoreTests(PostgresClassDatabase database)
    : BadgeStoreContract(new PostgresRegistryStores(database)), IClassFixture<PostgresClassDatabase>;
