using System.Diagnostics;
using Npgsql;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>
/// A database behind a network that drops packets costs a connection attempt seconds, not Npgsql's 15 s default: the
/// bridge writes under a Matrix device's crypto lock and retries, so each retry would hold the lock that long. And an
/// attempt always gives up: preferring GSS encryption (Npgsql's default), many never did.
/// </summary>
public sealed class PostgresConnectTimeoutTests(PostgresClassDatabase classDatabase) : IClassFixture<PostgresClassDatabase>
{
    [Theory]
    [InlineData("Host=db;Database=walkie", PostgresDatabase.DefaultConnectTimeoutSeconds)]
    [InlineData("Host=db;Database=walkie;Timeout=30", 30)]
    [InlineData("host=db;database=walkie;timeout=2", 2)]
    [InlineData("Host=db;Database=walkie;Timeout=15", 15)] // Npgsql's default, but the operator's explicit choice
    public void A_connection_string_without_a_timeout_gets_the_short_one_and_one_that_sets_it_keeps_it(string connectionString, int seconds)
    {
        var effective = new NpgsqlConnectionStringBuilder(PostgresDatabase.WithConnectDefaults(connectionString));

        Assert.Equal(seconds, effective.Timeout);
        Assert.Equal(("db", "walkie"), (effective.Host, effective.Database));
    }

    [Theory]
    [InlineData("Host=db;Database=walkie", GssEncryptionMode.Disable)]
    [InlineData("Host=db;Database=walkie;GSS Encryption Mode=Prefer", GssEncryptionMode.Prefer)]
    [InlineData("Host=db;Database=walkie;gssencryptionmode=require", GssEncryptionMode.Require)]
    public void GSS_encryption_is_off_unless_the_connection_string_asks_for_it(string connectionString, GssEncryptionMode mode)
    {
        var effective = PostgresDatabase.WithConnectDefaults(connectionString, pgGssEncMode: null);

        Assert.Equal(mode, new NpgsqlConnectionStringBuilder(effective).GssEncryptionMode);
    }

    [Fact]
    public void With_PGGSSENCMODE_set_GSS_encryption_is_left_to_Npgsql_which_reads_it()
    {
        var effective = PostgresDatabase.WithConnectDefaults("Host=db;Database=walkie", pgGssEncMode: "prefer");

        Assert.False(new System.Data.Common.DbConnectionStringBuilder { ConnectionString = effective }.ContainsKey("GSS Encryption Mode"));
        Assert.Equal(PostgresDatabase.DefaultConnectTimeoutSeconds, new NpgsqlConnectionStringBuilder(effective).Timeout);
    }

    [Fact]
    public async Task Opening_a_connection_through_a_black_holed_network_gives_up_after_the_short_timeout_not_fifteen_seconds()
    {
        classDatabase.Fresh().Dispose();
        using var link = new CuttableLink(new NpgsqlConnectionStringBuilder(classDatabase.ConnectionString).Port);
        // No pool: each Open is a new connection across the link, as after the pool's connections were broken.
        var throughLink = new NpgsqlConnectionStringBuilder(classDatabase.ConnectionString)
            { Host = "127.0.0.1", Port = link.Port, Pooling = false }.ConnectionString;
        using var database = new PostgresDatabase(throughLink);
        Assert.Equal(PostgresDatabase.DefaultConnectTimeoutSeconds, database.ConnectTimeoutSeconds);

        link.BlackHole();
        // On a thread of its own, timed from the attempt's own start to its own failure: in full runs the attempt once
        // started late and once not within a minute, on a pool busy with the other tests' work.
        var attempt = new TaskCompletionSource<(Exception? Failure, TimeSpan Took)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0L;
        new Thread(() =>
        {
            Volatile.Write(ref started, Stopwatch.GetTimestamp());
            try
            {
                database.Open().Dispose();
                attempt.SetResult((null, Stopwatch.GetElapsedTime(started)));
            }
            catch (Exception ex)
            {
                attempt.SetResult((ex, Stopwatch.GetElapsedTime(started)));
            }
        }) { IsBackground = true, Name = "black-holed open" }.Start();

        var finished = await Task.WhenAny(attempt.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == attempt.Task, Volatile.Read(ref started) == 0
            ? "the attempt's thread had not started after 60 s"
            : $"the attempt had not given up after {Stopwatch.GetElapsedTime(Volatile.Read(ref started)).TotalSeconds:F0} s");
        var (failure, took) = await attempt.Task;

        Assert.IsAssignableFrom<NpgsqlException>(failure);
        // The bound is the timeout (5 s) with ample room for a loaded machine, and well short of Npgsql's 15 s.
        Assert.True(took < TimeSpan.FromSeconds(12), $"the attempt gave up after {took.TotalSeconds:F1} s");
    }

    [Fact]
    public void Every_one_of_many_attempts_through_a_black_holed_network_gives_up()
    {
        classDatabase.Fresh().Dispose();
        using var link = new CuttableLink(new NpgsqlConnectionStringBuilder(classDatabase.ConnectionString).Port);
        var throughLink = new NpgsqlConnectionStringBuilder(classDatabase.ConnectionString)
            { Host = "127.0.0.1", Port = link.Port, Pooling = false, Timeout = 1 }.ConnectionString;
        using var database = new PostgresDatabase(throughLink);
        link.BlackHole();

        // Thirty-two synchronous attempts, eight at a time: preferring GSS encryption, seven or eight of the eight threads
        // were still stuck after 60 s in each of four runs.
        var failures = new Exception?[32];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (var i = t; i < failures.Length; i += 8)
            {
                try
                {
                    database.Open().Dispose();
                }
                catch (Exception ex)
                {
                    failures[i] = ex;
                }
            }
        }) { IsBackground = true, Name = $"black-holed opens {t}" }).ToList();
        threads.ForEach(t => t.Start());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var stuck = threads.Count(t => !t.Join(TimeSpan.FromTicks(Math.Max(0, (deadline - DateTime.UtcNow).Ticks))));
        Assert.True(stuck == 0, $"{stuck} of 8 threads still in an attempt after 60 s (each attempt has 1 s)");
        Assert.All(failures, failure => Assert.IsAssignableFrom<NpgsqlException>(failure));
    }
}
