using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>A whole gateway on PostgreSQL (<c>Storage:Provider = postgres</c>), and what it says when it cannot have it.</summary>
public sealed class PostgresGatewayTests(PostgresClassDatabase classDatabase) : IClassFixture<PostgresClassDatabase>
{
    [Fact]
    public async Task A_gateway_on_postgres_serves_records_and_keeps_everything_across_a_restart()
    {
        using var database = classDatabase.Fresh();
        await using var g = TestGateway.Create();
        g.Storage = new StorageOptions { Provider = "postgres", ConnectionString = classDatabase.ConnectionString };
        var badges = new SqlBadgeStore(database, g.Hasher);
        g.Secrets["anna"] = badges.Add("anna", "Anna");
        g.Secrets["ben"] = badges.Add("ben", "Ben");
        var channels = new SqlChannelStore(database);
        channels.Add(1, "family");
        channels.Join(1, "anna");
        channels.Join(1, "ben");
        var permits = new SqlPermitStore(database);
        permits.Grant("anna", 1, PermitBits.Known, null, "test", accepted: true);
        permits.Grant("ben", 1, PermitBits.Known, null, "test", accepted: true);

        await g.StartAsync(BrokerKind.InMemory);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 10);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        var recordings = new SqlRecordingIndex(database);
        Assert.True(await Eventually.TrueAsync(() => recordings.Get(grant.BurstId) is { Complete: true }));
        Assert.Equal(10, recordings.Get(grant.BurstId)!.FramesReceived);
        Assert.Null(new SqliteRecordingIndex(g.Database).Get(grant.BurstId)); // the data folder's SQLite file is not used
        await g.Host.DisposeAsync();

        await g.StartAsync(BrokerKind.InMemory);
        Assert.Equal(["anna", "ben"], new SqlBadgeStore(database, g.Hasher).List().Select(b => b.Id));
        var kept = Assert.Single(new SqlRecordingIndex(database).Recent(10));
        Assert.Equal(grant.BurstId, kept.BurstId);
        Assert.True(kept.Complete);
        Assert.True(File.Exists(kept.Path));
        var audio = Recordings.Reader(g.Directory).Read(kept.Path);
        Assert.True(audio.Finished);
        Assert.Equal(10, audio.BlockCount);

        // The restarted gateway knows the badges (their secrets still work), the permit and the burst ids it gave.
        var annaAgain = await g.ConnectAsync("anna");
        await g.ConnectAsync("ben");
        var next = Assert.IsType<FloorGranted>(await annaAgain.RequestFloorAsync(1));
        Assert.True(next.BurstId > grant.BurstId);
        await annaAgain.TalkAsync(next, 3);
        Assert.True(await Eventually.TrueAsync(() => recordings.Get(next.BurstId) is { Complete: true }));
    }

    [Fact]
    public async Task Walkie_run_on_an_unreachable_postgres_exits_with_a_clear_error()
    {
        var data = Directory.CreateTempSubdirectory("wt-pg-down-").FullName;
        try
        {
            var port = FreePort.Next(); // nothing listens there
            var (exitCode, output, error) = await WalkieProcess.RunAsync(data, "run", "--data", data, "--dev", "--Http:Port=0", "--Mqtt:Port=0",
                "--Storage:Provider=postgres",
                $"--Storage:ConnectionString=Host=127.0.0.1;Port={port};Database=walkie;Username=walkie;Password=secret-word;Timeout=3");

            Assert.Equal(2, exitCode);
            Assert.Contains($"error: the PostgreSQL database (PostgreSQL 127.0.0.1:{port}/walkie) could not be opened", error);
            Assert.DoesNotContain("secret-word", error + output);
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }
}
