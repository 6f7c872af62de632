namespace WalkieTalkie.Matrix.Sending;

/// <summary>
/// Wakes the outboxes sending from a file when a person puts an entry back in a queue (the console's Retry,
/// <c>walkie badge outbox retry</c>), so that it is sent at once rather than at the sender's next idle look
/// (<see cref="OutboxOptions.IdleRecheck"/>). In this process the outboxes on the file are told directly; another
/// process (the CLI beside the gateway) writes a timestamp to <c>{file}.requeued</c>, which a watcher on that file
/// (one per file per process, shared by its outboxes) turns into the same wake-up. Where the watcher cannot be had
/// (no inotify instance left, say) the idle look still finds the entry.
/// </summary>
internal static class OutboxRequeueSignal
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, FileListeners> Files = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="wake"/> whenever an entry of <paramref name="databasePath"/> is put back, by this
    /// process or another, until the result is disposed. False in <paramref name="watched"/> when only this process's
    /// put-backs are heard (the watcher on the file could not be made).</summary>
    public static IDisposable Listen(string databasePath, Action wake, out bool watched)
    {
        var path = Path.GetFullPath(databasePath);
        lock (Gate)
        {
            if (!Files.TryGetValue(path, out var listeners))
            {
                listeners = new FileListeners(path);
                Files[path] = listeners;
            }

            listeners.Wakes.Add(wake);
            watched = listeners.Watcher is not null;
            return new Subscription(path, wake);
        }
    }

    /// <summary>An entry of <paramref name="databasePath"/> was put back: wake its outboxes here and in other processes.</summary>
    public static void Raise(string databasePath)
    {
        var path = Path.GetFullPath(databasePath);
        WakeAll(path);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(SignalFile(path), options);
            stream.Write(BitConverter.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The entry is back in its queue all the same: another process's outbox finds it at its next idle look.
        }
    }

    private static string SignalFile(string databasePath) => databasePath + ".requeued";

    private static void WakeAll(string path)
    {
        Action[] wakes;
        lock (Gate)
        {
            wakes = Files.TryGetValue(path, out var listeners) ? [.. listeners.Wakes] : [];
        }

        foreach (var wake in wakes)
        {
            wake();
        }
    }

    private sealed class FileListeners
    {
        public FileListeners(string path)
        {
            try
            {
                var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(SignalFile(path)))
                {
                    NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
                };
                watcher.Changed += (_, _) => WakeAll(path);
                watcher.Created += (_, _) => WakeAll(path);
                watcher.Renamed += (_, _) => WakeAll(path);
                watcher.EnableRaisingEvents = true;
                Watcher = watcher;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                // No watcher (the inotify limit reached, say): this process's put-backs still wake at once.
                Watcher = null;
            }
        }

        public List<Action> Wakes { get; } = [];

        public FileSystemWatcher? Watcher { get; }
    }

    private sealed class Subscription(string path, Action wake) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            lock (Gate)
            {
                if (_disposed || !Files.TryGetValue(path, out var listeners))
                {
                    return;
                }

                _disposed = true;
                listeners.Wakes.Remove(wake);
                if (listeners.Wakes.Count == 0)
                {
                    Files.Remove(path);
                    listeners.Watcher?.Dispose();
                }
            }
        }
    }
}
