using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Matrix.Client.Sessions;

/// <summary>
/// Stores a session as a JSON file that only the service's own user can read or write (mode 0600, in a
/// directory the store creates with mode 0700). The token is not encrypted here: file permissions are the
/// protection until the key store holds it encrypted at rest.
/// </summary>
public sealed class FileSessionStore : ISessionStore
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private static readonly UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly ILogger _logger;

    public FileSessionStore(string path, ILogger? logger = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The session file.</summary>
    public string Path { get; }

    public async Task<MatrixSession?> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Path);
            if ((mode & GroupOrOther) != 0)
            {
                // Someone widened the permissions: narrow them again rather than keep a readable secret.
                _logger.LogWarning("Session file {Path} was readable by others ({Mode}); restricting it to the owner", Path, mode);
                File.SetUnixFileMode(Path, OwnerOnlyFile);
            }
        }
        await using var stream = File.OpenRead(Path);
        try
        {
            return await JsonSerializer.DeserializeAsync<MatrixSession>(stream, MatrixJson.Options, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JsonException bad)
        {
            throw new InvalidDataException($"The session file {Path} is not a valid session: {bad.Message}", bad);
        }
    }

    public async Task SaveAsync(MatrixSession session, CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }
        }

        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, session, MatrixJson.Options, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        // UnixCreateMode applies only to new files; a leftover temporary file keeps its mode, so set it anyway.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    public Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        File.Delete(Path);
        return Task.CompletedTask;
    }
}
