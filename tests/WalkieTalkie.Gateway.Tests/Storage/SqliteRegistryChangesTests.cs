using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sql.Web;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>
/// On SQLite the gateway hears a registry change made by another process on its file (the <c>walkie</c> CLI) through a
/// file beside the database that every writer touches and the gateway watches, not by reading the version every second:
/// with the poll at 30 s such a change is still seen at once. Another process is played by a second
/// <see cref="SqliteDatabase"/> on the same file, which is what the CLI opens.
/// </summary>
public sealed class SqliteRegistryChangesTests : IDisposable
{
    // Far below the 30 s poll these tests keep, well above what a watched file's event takes on a loaded machine.
    private static readonly TimeSpan Seen = TimeSpan.FromSeconds(5);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("walkie-registry-");

    private string DatabasePath => Path.Combine(_folder.FullName, "walkie.db");

    [Fact]
    public async Task A_change_made_by_another_process_on_the_file_is_seen_at_once_with_the_poll_at_30_seconds()
    {
        var gateway = new SqliteDatabase(DatabasePath);
        using var changes = Changes(gateway);
        var known = gateway.ConfigVersion();
        var waiting = changes.WaitForChangeAsync(known, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        var cli = new SqliteDatabase(DatabasePath);
        new SqlChannelStore(cli).Add(5, "five");

        Assert.True(await Task.WhenAny(waiting, Task.Delay(Seen)) == waiting, "the change by another process was not seen");
        Assert.Equal(known + 1, await waiting);
    }

    [Fact]
    public async Task The_changed_file_and_its_folder_are_owner_only()
    {
        var gateway = new SqliteDatabase(DatabasePath);
        using var changes = Changes(gateway);
        new SqlChannelStore(new SqliteDatabase(DatabasePath)).Add(5, "five");
        await Task.Yield();

        var signal = DatabasePath + ".signals/registry-changed";
        Assert.True(File.Exists(signal), "no change file was written");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, FileModes.Of(signal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, FileModes.Of(Path.GetDirectoryName(signal)!));
    }

    [Fact]
    public void A_change_made_in_a_transaction_is_told_once_it_is_committed()
    {
        var gateway = new SqliteDatabase(DatabasePath);
        var reader = new SqliteDatabase(DatabasePath);
        var before = gateway.ConfigVersion();
        var seen = new List<long>();
        // Read on another connection when told, as the reader woken by it does: the change must be visible by then.
        gateway.RegistryChanged += () => seen.Add(reader.ConfigVersion());

        new SqlWebUserStore(gateway).Add("anna", "a long enough password", "member");

        Assert.Equal([before + 1], seen);
    }

    [Fact]
    public async Task The_gateways_own_change_wakes_its_reader_once_and_not_again()
    {
        var gateway = new SqliteDatabase(DatabasePath);
        using var changes = Changes(gateway);
        var known = gateway.ConfigVersion();
        var waiting = changes.WaitForChangeAsync(known, CancellationToken.None);
        new SqlChannelStore(gateway).Add(5, "five");
        Assert.Equal(known + 1, await waiting.WaitAsync(Seen));

        // Its own touch of the watched file comes back to it: it reads the version it has and waits on.
        using var stop = new CancellationTokenSource();
        var next = changes.WaitForChangeAsync(known + 1, stop.Token);
        await Task.Delay(1000);
        Assert.False(next.IsCompleted, "woken with nothing changed");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    private static SqlRegistryChanges Changes(SqlDatabase database) => new(database, new NoStoreNotifications(),
        Options.Create(new GatewayOptions { ReloadSeconds = 30 }), Options.Create(new StorageOptions { FallbackPollSeconds = 30 }),
        TimeProvider.System, NullLogger<SqlRegistryChanges>.Instance);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(true);
    }
}
