using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sql.Web;
using WalkieTalkie.Gateway.Tests.Support.Postgres;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>
/// This process's own registry changes are told when the connection that made them closes (after a transaction's
/// commit): Npgsql's connections say so as SQLite's do, so the gateway's reader is woken at once on PostgreSQL too.
/// </summary>
public sealed class PostgresRegistrySignalTests(PostgresClassDatabase classDatabase) : IClassFixture<PostgresClassDatabase>
{
    [Fact]
    public void A_change_is_told_once_and_visible_to_another_connection_when_told()
    {
        using var database = classDatabase.Fresh();
        using var reader = classDatabase.Open();
        var before = database.ConfigVersion();
        var seen = new List<long>();
        database.RegistryChanged += () => seen.Add(reader.ConfigVersion());

        new SqlChannelStore(database).Add(5, "five");
        new SqlWebUserStore(database).Add("anna", "a long enough password", "member");

        Assert.Equal([before + 1, before + 2], seen);
    }
}
