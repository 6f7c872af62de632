using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>The registry the two-gateway tests share: alice and bob on channels 1 and 2 with the known permits.</summary>
public static class SharedRegistry
{
    /// <summary>Writes the badges and channels once in <paramref name="registry"/>; <paramref name="gateway"/> keeps the badges' secrets.</summary>
    public static void Provision(PostgresDatabase registry, TestGateway gateway)
    {
        var badges = new SqlBadgeStore(registry, gateway.Hasher);
        var channels = new SqlChannelStore(registry);
        var permits = new SqlPermitStore(registry);
        foreach (var badge in new[] { "alice", "bob" })
        {
            gateway.Secrets[badge] = badges.Add(badge);
        }

        foreach (var channel in new byte[] { 1, 2 })
        {
            channels.Add(channel, "ch" + channel, 8000, 30);
            foreach (var badge in new[] { "alice", "bob" })
            {
                channels.Join(channel, badge);
                permits.Grant(badge, channel, PermitBits.Known, null, "test", accepted: true);
            }
        }
    }
}
