namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// Files and folders of the data folder, readable by the gateway's own user only: folders 0700, files 0600, whatever
/// the umask. A mode given at creation is narrowed by the umask only, so it is set again afterwards (a umask that takes
/// the owner's own bits would otherwise leave a file the gateway cannot use). On Windows nothing is done: the
/// folder's ACL decides there.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and any missing parent, each 0700; a folder that already exists is left as it is.</summary>
    public static void CreateFolder(string path)
    {
        path = Path.GetFullPath(path);
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var folder = path; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        Directory.CreateDirectory(path, FolderMode);
        foreach (var created in missing)
        {
            File.SetUnixFileMode(created, FolderMode);
        }
    }

    /// <summary>Opens a file for writing, created 0600 (and its folder 0700) when it does not exist.</summary>
    public static FileStream Create(string path, System.IO.FileMode mode = System.IO.FileMode.Create, FileAccess access = FileAccess.Write,
        FileShare share = FileShare.Read)
    {
        CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        var file = new FileStream(path, options);
        Restrict(path);
        return file;
    }

    /// <summary>Writes a whole file, owner-only from its first byte.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Write(bytes);
        file.Flush(true);
    }

    /// <summary>Makes an existing file 0600 or folder 0700 (symbolic links are left alone).</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return;
        }

        if (Directory.Exists(path))
        {
            if (File.GetUnixFileMode(path) != FolderMode)
            {
                File.SetUnixFileMode(path, FolderMode);
            }
        }
        else if (info.Exists && info.UnixFileMode != FileMode)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Makes a folder and everything below it owner-only (for data written before the gateway did so itself).</summary>
    public static void RestrictTree(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return;
        }

        Restrict(folder);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (entry.LinkTarget is null)
            {
                Restrict(entry.FullName);
            }
        }
    }
}
