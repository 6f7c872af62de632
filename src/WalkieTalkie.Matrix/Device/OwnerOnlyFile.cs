namespace WalkieTalkie.Matrix.Device;

/// <summary>Creates files that hold secrets readable by their owner only (SQLite gives its WAL and shared-memory files
/// the database file's permissions).</summary>
internal static class OwnerOnlyFile
{
    public static void CreateIfMissing(string path)
    {
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var _ = new FileStream(path, options);
    }
}
