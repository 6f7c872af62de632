using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// The shared database's change notifications (<see cref="StoreTopics"/>, sent by <see cref="PostgresChangeTriggers"/>):
/// one connection of its own that <c>LISTEN</c>s to every topic and waits for them, opened when the first reader
/// subscribes (the CLI never does). When it goes away (PostgreSQL restarted, the backend killed, the network) the
/// gateway goes on: it says so once per outage, connects again with back-off, and once it listens again calls every
/// subscriber, since what was notified meanwhile is lost. A connection that stays silent is checked now and then, so a
/// network that drops packets (and closes nothing) is noticed too.
/// </summary>
public sealed class PostgresNotifications : IStoreNotifications, IAsyncDisposable, IDisposable
{
    /// <summary>How the listening connection shows in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "walkie notifications";

    /// <summary>The first wait before connecting again; it doubles at each failure up to <see cref="RetryAtMost"/>.</summary>
    public static readonly TimeSpan RetryFirst = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan RetryAtMost = TimeSpan.FromSeconds(10);

    /// <summary>How long the connection may stay silent before it is asked whether it still answers.</summary>
    public static readonly TimeSpan CheckWhenSilentFor = TimeSpan.FromSeconds(30);

    private const int CheckTimeoutSeconds = 10;

    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(5);

    private readonly PostgresDatabase _database;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Subscription[] _subscribers = [];
    private Task? _loop;
    private volatile bool _listening;

    public PostgresNotifications(PostgresDatabase database, ILogger<PostgresNotifications> logger)
    {
        _database = database;
        _logger = logger;
    }

    public bool Pushed => true;

    /// <summary>Whether the connection listens now (false before the first subscriber, and during an outage).</summary>
    public bool Listening => _listening;

    public IDisposable Subscribe(string topic, Action changed)
    {
        if (!StoreTopics.All.Contains(topic))
        {
            throw new ArgumentException($"'{topic}' is not one of the store's topics", nameof(topic));
        }

        var subscription = new Subscription(this, topic, changed);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _subscribers = [.. _subscribers, subscription];
            _loop ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
        }

        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != subscription).ToArray();
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var retry = RetryFirst;
        Stopwatch? outage = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = _database.Unpooled(ApplicationName);
                connection.Notification += (_, e) => Call(e.Channel);
                await connection.OpenAsync(ct);
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = string.Concat(StoreTopics.All.Select(t => $"LISTEN {t};"));
                    await listen.ExecuteNonQueryAsync(ct);
                }

                _listening = true;
                retry = RetryFirst;
                if (outage is not null)
                {
                    _logger.LogInformation("Listening to the database's change notifications again, after {Seconds:0.0} s", outage.Elapsed.TotalSeconds);
                    outage = null;
                }

                // What changed before the LISTEN (or while the connection was down) was never notified: read it now.
                Call(topic: null);
                while (true)
                {
                    if (!await connection.WaitAsync(CheckWhenSilentFor, ct))
                    {
                        await using var check = connection.CreateCommand();
                        check.CommandText = "SELECT 1";
                        check.CommandTimeout = CheckTimeoutSeconds;
                        await check.ExecuteScalarAsync(ct);
                    }
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _listening = false;
                if (outage is null)
                {
                    outage = Stopwatch.StartNew();
                    _logger.LogWarning("The database's change notifications stopped ({Error}); connecting again with back-off, and until then " +
                        "changes made by other gateways or the CLI are found by the slower poll", e.Message);
                }
            }

            try
            {
                await Task.Delay(retry, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, RetryAtMost.Ticks));
        }

        _listening = false;
    }

    // A topic's subscribers, or every subscriber (null: catching up).
    private void Call(string? topic)
    {
        foreach (var subscription in Volatile.Read(ref _subscribers))
        {
            if (topic is null || subscription.Topic == topic)
            {
                try
                {
                    subscription.Changed();
                }
                catch (Exception e)
                {
                    _logger.LogDebug(e, "A reader of the {Topic} notifications failed to take one", subscription.Topic);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            loop = _loop;
        }

        try
        {
            if (loop is not null)
            {
                // Every wait of the loop takes the token; the bound is for a connection that ignores it.
                await loop.WaitAsync(StopWithin).ConfigureAwait(false);
            }

            _stop.Dispose();
        }
        catch (TimeoutException)
        {
            _logger.LogDebug("The notifications' listener did not stop within {Seconds} s; left behind", StopWithin.TotalSeconds);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class Subscription(PostgresNotifications owner, string topic, Action changed) : IDisposable
    {
        public string Topic => topic;

        public Action Changed => changed;

        public void Dispose() => owner.Unsubscribe(this);
    }
}
