namespace WalkieTalkie.Matrix.Client.Sessions;

/// <summary>A session store that forgets at exit: for tests and for throw-away accounts.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private MatrixSession? _session;

    public InMemorySessionStore(MatrixSession? session = null) => _session = session;

    public Task<MatrixSession?> LoadAsync(CancellationToken cancellationToken = default) => Task.FromResult(_session);

    public Task SaveAsync(MatrixSession session, CancellationToken cancellationToken = default)
    {
        _session = session;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        _session = null;
        return Task.CompletedTask;
    }
}
