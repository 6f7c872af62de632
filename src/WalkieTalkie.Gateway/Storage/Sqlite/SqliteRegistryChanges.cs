using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>
/// Registry changes in the SQLite file: at once for a change made in this process (the database's own signal), and
/// by reading <c>config_version</c> every <see cref="GatewayOptions.ReloadSeconds"/> for one made by another process
/// (the <c>walkie</c> CLI); SQLite has no notifications across processes.
/// </summary>
public sealed class SqliteRegistryChanges : IRegistryChanges, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly TimeSpan _poll;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _signal = NewSignal();

    public SqliteRegistryChanges(SqliteDatabase database, IOptions<GatewayOptions> options, TimeProvider time, ILogger<SqliteRegistryChanges> logger)
    {
        _database = database;
        _poll = TimeSpan.FromSeconds(options.Value.ReloadSeconds);
        _time = time;
        _logger = logger;
        database.RegistryChanged += OnChanged;
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
            catch (SqliteException e)
            {
                _logger.LogWarning("The registry could not be read, will retry: {Error}", e.Message);
            }

            await Task.WhenAny(signal, Task.Delay(_poll, _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void OnChanged() => Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => _database.RegistryChanged -= OnChanged;
}
