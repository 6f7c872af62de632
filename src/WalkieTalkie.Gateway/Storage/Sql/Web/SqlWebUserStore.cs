using System.Data.Common;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Devices;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Storage.Sql.Web;

/// <summary>Gateway-local web accounts, each with its device in the registry.</summary>
public class SqlWebUserStore(SqlDatabase database) : IWebUserStore
{
    public void Add(string name, string password, string role)
    {
        if (!Topics.IsValidBadgeId(name))
        {
            throw new RegistryException($"'{name}' is not a valid user name: 1-32 of a-z, 0-9 and '-', not starting with '-'");
        }

        if (!WebRoles.IsKnown(role))
        {
            throw new RegistryException($"'{role}' is not a role: {WebRoles.Admin} or {WebRoles.Member}");
        }

        CheckPassword(password);
        var hash = WebPasswords.Hash(password);
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        try
        {
            WebDeviceRows.Add(connection, name, name, WebDeviceKind.Local, name, null);
            SqlDatabase.Execute(connection, "INSERT INTO web_users (name, password_hash, role) VALUES (@name, @hash, @role)",
                ("name", name), ("hash", hash), ("role", role));
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new RegistryException($"'{name}' is taken by a badge or user");
        }

        database.BumpConfigVersion(connection);
        transaction.Commit();
    }

    public void Remove(string name)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        if (Find(connection, name) is null)
        {
            throw new RegistryException($"no user '{name}'");
        }

        SqlDatabase.Execute(connection, "DELETE FROM badges WHERE id = @id", ("id", name));
        database.BumpConfigVersion(connection);
        transaction.Commit();
    }

    public void SetPassword(string name, string password)
    {
        CheckPassword(password);
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "UPDATE web_users SET password_hash = @hash WHERE name = @name",
            ("hash", WebPasswords.Hash(password)), ("name", name));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new RegistryException($"no user '{name}'");
        }
    }

    public WebUser? Find(string name)
    {
        using var connection = database.Connect();
        return Find(connection, name);
    }

    public IReadOnlyList<WebUser> List()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT name, password_hash, role FROM web_users ORDER BY name");
        using var reader = command.ExecuteReader();
        var users = new List<WebUser>();
        while (reader.Read())
        {
            users.Add(new WebUser(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return users;
    }

    private static WebUser? Find(DbConnection connection, string name)
    {
        using var command = SqlDatabase.Command(connection, "SELECT name, password_hash, role FROM web_users WHERE name = @name", ("name", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new WebUser(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    private static void CheckPassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length > 1024)
        {
            throw new RegistryException("a password is 1 to 1024 characters");
        }
    }
}
