using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// Registry changes in the database: at once for a change made in this process (the database's own signal); for one
/// made by another process (the <c>walkie</c> CLI, another gateway on the same PostgreSQL) at once on PostgreSQL, whose
/// notification wakes the reader (<see cref="IStoreNotifications"/>), with <c>config_version</c> read anyway every
/// <see cref="StorageOptions.FallbackPollSeconds"/> in case one was lost; on SQLite, which has no notifications across
/// processes, at once through a file the writers touch and the reader watches (<see cref="SqlDatabase.WatchOtherProcesses"/>),
/// with the same slow poll behind it, or by reading it every <see cref="GatewayOptions.ReloadSeconds"/> where the file
/// cannot be watched. Nothing else wakes the reader while nothing changes.
/// </summary>
public sealed class SqlRegistryChanges : IRegistryChanges, IDisposable
{
    private readonly SqlDatabase _database;
    private readonly TimeSpan _poll;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable _notified;
    private readonly IDisposable? _watched;
    private TaskCompletionSource _signal = NewSignal();

    public SqlRegistryChanges(SqlDatabase database, IStoreNotifications notifications, IOptions<GatewayOptions> options, IOptions<StorageOptions> storage,
        TimeProvider time, ILogger<SqlRegistryChanges> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        database.RegistryChanged += OnChanged;
        _notified = notifications.Subscribe(StoreTopics.Registry, OnChanged);
        _watched = notifications.Pushed ? null : database.WatchOtherProcesses(OnChanged);
        if (!notifications.Pushed && _watched is null)
        {
            logger.LogWarning("Registry changes made by another process (the walkie CLI) in {Database} cannot be watched; they are found within {Seconds} s",
                database.Description, options.Value.ReloadSeconds);
        }

        _poll = TimeSpan.FromSeconds(notifications.Pushed || _watched is not null ? storage.Value.FallbackPollSeconds : options.Value.ReloadSeconds);
    }

    public async Task<long> WaitForChangeAsync(long knownVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _signal).Task;
            try
            {
                var version = _database.ConfigVersion();
                if (version != knownVersion)
                {
                    return version;
                }
            }
            catch (DbException e)
            {
                _logger.LogWarning("The registry could not be read, will retry: {Error}", e.Message);
            }

            await Task.WhenAny(signal, Task.Delay(_poll, _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void OnChanged() => Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _database.RegistryChanged -= OnChanged;
        _notified.Dispose();
        _watched?.Dispose();
    }
}
