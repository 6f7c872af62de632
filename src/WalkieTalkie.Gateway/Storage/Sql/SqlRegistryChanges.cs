using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// Registry changes in the database: at once for a change made in this process (the database's own signal), and
/// by reading <c>config_version</c> every <see cref="GatewayOptions.ReloadSeconds"/> for one made by another process
/// (the <c>walkie</c> CLI, another gateway on the same PostgreSQL); SQLite has no notifications across processes.
/// </summary>
public sealed class SqlRegistryChanges : IRegistryChanges, IDisposable
{
    private readonly SqlDatabase _database;
    private readonly TimeSpan _poll;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _signal = NewSignal();

    public SqlRegistryChanges(SqlDatabase database, IOptions<GatewayOptions> options, TimeProvider time, ILogger<SqlRegistryChanges> logger)
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

    public void Dispose() => _database.RegistryChanged -= OnChanged;
}
