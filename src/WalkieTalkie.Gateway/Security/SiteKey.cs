using System.Security.Cryptography;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// The site's secret key for badge secrets (<see cref="SecretHasher"/>): 32 random bytes made on first use and kept in
/// <c>{data}/site-key</c>, readable by the gateway's user only (0600). Without it the stored hashes cannot be checked,
/// so it goes wherever the database goes (backups included) and nowhere else.
/// </summary>
public sealed class SiteKey
{
    public const string FileName = "site-key";
    private const int Length = 32;

    private SiteKey(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    /// <summary>Reads the key in <paramref name="dataDirectory"/>, or makes it when there is none.</summary>
    /// <exception cref="InvalidOperationException">The file exists but is not a key.</exception>
    public static SiteKey LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            Create(path);
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Length)
        {
            throw new InvalidOperationException($"{path} is not a site key ({bytes.Length} bytes, not {Length}): restore it from a backup");
        }

        return new SiteKey(bytes);
    }

    // Written beside it and moved into place, so that two processes starting at once (the service and the CLI) both
    // end up with the one that got there first, never with half a key.
    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(RandomNumberGenerator.GetBytes(Length));
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
