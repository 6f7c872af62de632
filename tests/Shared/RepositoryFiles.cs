namespace WalkieTalkie.Tests.Shared;

/// <summary>Finds files of this repository from wherever the test runs.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WalkieTalkie.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WalkieTalkie.slnx not found above " + AppContext.BaseDirectory);
    }
}
