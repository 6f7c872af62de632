using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>
/// Changes made through another connection (the CLI, another gateway) pushed by PostgreSQL's <c>LISTEN</c>/<c>NOTIFY</c>
/// (<see cref="PostgresNotifications"/>): at their commit and not before, caught up after the listening connection was
/// cut off, and reaching a whole gateway whose polls are set to a minute within seconds, its listening connection
/// killed or not.
/// </summary>
public sealed class PostgresNotificationTests(PostgresClassDatabase classDatabase) : IClassFixture<PostgresClassDatabase>
{
    // Far below the polls (60 s) these tests set, well above what a notification takes on a loaded machine.
    private const int Notified = 10_000;

    private readonly ListLoggerProvider _log = new();

    [Fact]
    public async Task A_change_committed_through_another_connection_is_notified_to_its_topics_readers_at_its_commit_and_not_before()
    {
        using var database = classDatabase.Fresh();
        await using var notifications = new PostgresNotifications(database, new Logger<PostgresNotifications>(_log));
        var seen = new ConcurrentQueue<(string Topic, long Version)>();
        using var registry = notifications.Subscribe(StoreTopics.Registry, () => seen.Enqueue((StoreTopics.Registry, database.ConfigVersion())));
        using var reports = notifications.Subscribe(StoreTopics.EngineReports, () => seen.Enqueue((StoreTopics.EngineReports, 0)));
        Assert.True(await Eventually.TrueAsync(() => notifications.Listening && seen.Count == 2, Notified), "not listening, or its readers were not called once it listened");
        seen.Clear();

        // Another writer bumps the registry's version in a transaction it has not committed yet, then a report is written and committed.
        using var elsewhere = new NpgsqlConnection(classDatabase.ConnectionString);
        elsewhere.Open();
        var before = database.ConfigVersion();
        using var transaction = elsewhere.BeginTransaction();
        using (var bump = new NpgsqlCommand("UPDATE meta SET value = value + 1 WHERE key = 'config_version'", elsewhere, transaction))
        {
            bump.ExecuteNonQuery();
        }

        SqlStores.Bridge(database).EngineReports.Add(new EngineReport(0, EngineReportKinds.LowBattery, "anna", "", 9, 0, "b"));
        Assert.True(await Eventually.TrueAsync(() => seen.Any(s => s.Topic == StoreTopics.EngineReports), Notified), "the report was not notified");
        // Notifications come in the order their transactions commit: the uncommitted one's has not come.
        Assert.DoesNotContain(seen, s => s.Topic == StoreTopics.Registry);

        transaction.Commit();
        Assert.True(await Eventually.TrueAsync(() => seen.Any(s => s.Topic == StoreTopics.Registry), Notified), "the registry's change was not notified");
        // Its reader, woken, read the new version: the change was visible when it was notified.
        Assert.Equal(before + 1, seen.Single(s => s.Topic == StoreTopics.Registry).Version);
        Assert.Single(seen, s => s.Topic == StoreTopics.EngineReports);
    }

    [Fact]
    public async Task A_change_made_while_its_connection_is_cut_off_is_caught_up_when_it_listens_again_and_the_outage_is_logged_once()
    {
        classDatabase.Fresh().Dispose();
        using var link = new CuttableLink(PostgresServer.Instance.Port);
        using var database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(classDatabase.ConnectionString) { Port = link.Port }.ConnectionString);
        await using var notifications = new PostgresNotifications(database, new Logger<PostgresNotifications>(_log));
        var calls = 0;
        using var registry = notifications.Subscribe(StoreTopics.Registry, () => Interlocked.Increment(ref calls));
        Assert.True(await Eventually.TrueAsync(() => notifications.Listening && Volatile.Read(ref calls) == 1, Notified), "not listening");

        link.Cut();
        Assert.True(await Eventually.TrueAsync(() => !notifications.Listening, Notified), "the cut went unnoticed");
        using (var elsewhere = classDatabase.Open())
        {
            new SqlChannelStore(elsewhere).Add(5, "five"); // committed while cut off: its notification is lost
        }

        // It tries to connect again, with back-off, and is refused each time; it said so once.
        var refused = link.Refused;
        Assert.True(await Eventually.TrueAsync(() => link.Refused >= refused + 3, 30_000), $"it did not try to connect again ({link.Refused - refused} tries)");
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(1, _log.Count("change notifications stopped"));

        link.Restore();
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref calls) == 2, 30_000), "the reader was not called when it listened again");
        Assert.True(notifications.Listening);
        Assert.Equal(1, _log.Count("change notifications stopped"));
        Assert.Equal(1, _log.Count("change notifications again"));
    }

    [Fact]
    public async Task A_registry_change_made_through_another_connection_reaches_a_gateway_whose_poll_is_a_minute_within_seconds()
    {
        using var database = classDatabase.Fresh();
        await using var gateway = await StartGatewayAsync(database);
        var anna = await gateway.ConnectAsync("anna");

        var before = anna.Control.Count;
        RenameElsewhere(1, "crew");
        await anna.WaitForAsync<Config>(c => c.Find(1)?.Name == "crew", Notified, skip: before);
    }

    [Fact]
    public async Task A_gateway_whose_listening_connection_is_killed_listens_again_and_a_later_change_reaches_it_within_seconds()
    {
        using var database = classDatabase.Fresh();
        await using var gateway = await StartGatewayAsync(database);
        var anna = await gateway.ConnectAsync("anna");
        Assert.True(await Eventually.TrueAsync(() => NotificationListeners.Of(classDatabase.ConnectionString).Count == 1, Notified), "the gateway does not listen");

        // As when PostgreSQL restarts or an administrator ends the session.
        var killed = NotificationListeners.Kill(classDatabase.ConnectionString);
        Assert.Single(killed);
        Assert.True(await Eventually.TrueAsync(() => NotificationListeners.Of(classDatabase.ConnectionString) is [var pid] && !killed.Contains(pid), Notified), "the gateway did not listen again");

        var before = anna.Control.Count;
        RenameElsewhere(1, "crew");
        await anna.WaitForAsync<Config>(c => c.Find(1)?.Name == "crew", Notified, skip: before);
        Assert.Equal(1, gateway.Log.Count("change notifications stopped"));
        Assert.Equal(1, gateway.Log.Count("change notifications again"));
    }

    // A gateway on the class's database whose polls (the registry's, the safety net's) are a minute: only a notification is in time.
    private async Task<TestGateway> StartGatewayAsync(PostgresDatabase database)
    {
        var gateway = TestGateway.Create();
        gateway.Options.ReloadSeconds = 60;
        gateway.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = classDatabase.ConnectionString, FallbackPollSeconds = 60 };
        var badges = new SqlBadgeStore(database, gateway.Hasher);
        var channels = new SqlChannelStore(database);
        var permits = new SqlPermitStore(database);
        channels.Add(1, "family");
        foreach (var badge in new[] { "anna", "ben" })
        {
            gateway.Secrets[badge] = badges.Add(badge);
            channels.Join(1, badge);
            permits.Grant(badge, 1, PermitBits.Known, null, "test", accepted: true);
        }

        return await gateway.StartAsync(BrokerKind.InMemory);
    }

    // Through a database opened apart from the gateway's (its own connections), as the CLI or another gateway changes it.
    private void RenameElsewhere(int channel, string name)
    {
        using var elsewhere = classDatabase.Open();
        new SqlChannelStore(elsewhere).Rename(channel, name);
    }
}
