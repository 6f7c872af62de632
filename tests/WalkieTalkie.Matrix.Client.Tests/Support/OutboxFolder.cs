using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>
/// A test class's own folder for its outbox database, deleted after each test, and the options of an account's outbox
/// there: retries tens of milliseconds apart, so that a test sees several tries in a moment.
/// </summary>
public abstract class OutboxFolder(string prefix) : IDisposable
{
    protected static readonly RetryPolicy FastBackoff = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0,
    };

    protected string Folder { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    protected string Database => Path.Combine(Folder, "outbox.db");

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected OutboxOptions Options(MatrixClient client) =>
        new() { DatabasePath = Database, Owner = client.UserId + "|" + client.DeviceId, Backoff = FastBackoff };
}
