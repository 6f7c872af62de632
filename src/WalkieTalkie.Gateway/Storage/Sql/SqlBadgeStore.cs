using System.Data.Common;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>Provisioning of badges: add (the secret is returned once), list, remove, rotate the secret, priority.</summary>
public class SqlBadgeStore(SqlDatabase database, SecretHasher hasher) : IBadgeStore
{
    /// <summary>Adds a badge and returns its new secret, which is not stored and cannot be shown again.</summary>
    public string Add(string id, string? name = null, bool priority = false)
    {
        if (!Topics.IsValidBadgeId(id))
        {
            throw new RegistryException($"'{id}' is not a valid badge id: 1-32 of a-z, 0-9 and '-', not starting with '-'");
        }

        RegistryNames.Check("a badge's name", name ?? id);
        var secret = SecretHasher.NewSecret();
        using var connection = database.Connect();
        try
        {
            SqlDatabase.Execute(connection,
                "INSERT INTO badges (id, name, secret_hash, priority, created_at) VALUES (@id, @name, @hash, @priority, @now)",
                ("id", id), ("name", name ?? id), ("hash", hasher.Hash(id, secret)),
                ("priority", priority ? 1L : 0L), ("now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new RegistryException($"badge '{id}' already exists");
        }

        database.BumpConfigVersion(connection);
        return secret;
    }

    public IReadOnlyList<BadgeRecord> List()
    {
        using var connection = database.Connect();
        return RegistryRows.Badges(connection);
    }

    public void Remove(string id) => Change(id, "DELETE FROM badges WHERE id = @id");

    /// <summary>Gives the badge a new secret (returned once); the old one stops working at its next connect.</summary>
    public string RotateSecret(string id)
    {
        var secret = SecretHasher.NewSecret();
        Change(id, "UPDATE badges SET secret_hash = @hash WHERE id = @id", ("hash", hasher.Hash(id, secret)));
        return secret;
    }

    public bool ReplaceSecretHash(string id, string expected, string replacement)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "UPDATE badges SET secret_hash = @new WHERE id = @id AND secret_hash = @old",
            ("new", replacement), ("id", id), ("old", expected));
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        database.BumpConfigVersion(connection);
        return true;
    }

    public void SetPriority(string id, bool priority) =>
        Change(id, "UPDATE badges SET priority = @p WHERE id = @id", ("p", priority ? 1L : 0L));

    public void Rename(string id, string name)
    {
        RegistryNames.Check("a badge's name", name);
        Change(id, "UPDATE badges SET name = @name WHERE id = @id", ("name", name));
    }

    private void Change(string id, string sql, params (string, object?)[] more)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, sql, [.. more, ("id", id)]);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no badge '{id}'");
        }

        database.BumpConfigVersion(connection);
    }
}
