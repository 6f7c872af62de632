namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Changes that other processes (another gateway, the <c>walkie</c> CLI) make to a shared database, pushed as they
/// commit (PostgreSQL's <c>LISTEN</c>/<c>NOTIFY</c>), so that readers need not poll for them. A reader still reads now and
/// then (<see cref="Hosting.StorageOptions.FallbackPollSeconds"/>): a notification sent while the listening connection
/// was down is lost, so every subscriber is also called each time it is back (and when it first listens).
/// </summary>
public interface IStoreNotifications
{
    /// <summary>Whether changes made elsewhere are pushed; when false (SQLite), readers poll as before.</summary>
    bool Pushed { get; }

    /// <summary>
    /// Calls <paramref name="changed"/> after each committed change of <paramref name="topic"/> (one of
    /// <see cref="StoreTopics"/>) and each time the listening connection is (back) in place. It runs on the listener's
    /// own task, so it only wakes its reader. Disposing the result ends the calls.
    /// </summary>
    IDisposable Subscribe(string topic, Action changed);
}
