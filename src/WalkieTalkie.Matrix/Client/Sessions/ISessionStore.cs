namespace WalkieTalkie.Matrix.Client.Sessions;

/// <summary>
/// Keeps an account's <see cref="MatrixSession"/> between runs, so the gateway never logs in at start-up when it
/// already holds a token. A later key store implements this with encryption at rest.
/// </summary>
public interface ISessionStore
{
    /// <summary>The stored session, or null when there is none.</summary>
    Task<MatrixSession?> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored session (atomically: a crash leaves the old one or the new one).</summary>
    Task SaveAsync(MatrixSession session, CancellationToken cancellationToken = default);

    /// <summary>Forgets the session (after logout, or when the server rejected its token).</summary>
    Task DeleteAsync(CancellationToken cancellationToken = default);
}
