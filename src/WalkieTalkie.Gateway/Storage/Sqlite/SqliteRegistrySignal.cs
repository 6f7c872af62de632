using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>
/// Tells the processes on one SQLite file that another one changed its registry (the <c>walkie</c> CLI while the gateway
/// runs), as SQLite itself cannot: every committed change writes a timestamp to <c>registry-changed</c> in a folder
/// beside the database (<c>{file}.signals</c>, 0700, the file 0600), and a reader watches that folder, so nothing
/// wakes it while nothing changes. The folder holds that file alone: a watch on the data folder would be woken by
/// every write to the database's journal. A process's own writes wake its own watcher too, once each: its reader then
/// reads a version it already has and waits again. A lost event (or no watcher at all) is caught by the reader's slow
/// poll of <c>config_version</c>.
/// </summary>
internal sealed class SqliteRegistrySignal(string databasePath)
{
    private const string FileName = "registry-changed";

    /// <summary>The folder watched, beside the database.</summary>
    public string Folder { get; } = databasePath + ".signals";

    /// <summary>The file written at each change.</summary>
    public string File => Path.Combine(Folder, FileName);

    /// <summary>Tells the other processes that the registry changed (a commit of this process).</summary>
    public void Raise()
    {
        try
        {
            using var file = OwnerOnly.Create(File);
            file.Write(BitConverter.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The change is committed all the same: the readers' poll finds it.
        }
    }

    /// <summary>Calls <paramref name="changed"/> at each change by any process on the file; null when no watcher could
    /// be made (no inotify instance left, say).</summary>
    public IDisposable? Watch(Action changed)
    {
        try
        {
            OwnerOnly.CreateFolder(Folder);
            var watcher = new FileSystemWatcher(Folder, FileName)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
            };
            watcher.Changed += (_, _) => changed();
            watcher.Created += (_, _) => changed();
            watcher.Renamed += (_, _) => changed();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null;
        }
    }
}
