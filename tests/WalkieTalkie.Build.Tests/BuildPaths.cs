using System.Reflection;

namespace WalkieTalkie.Build.Tests;

internal static class BuildPaths
{
    public static string RepoRoot => Metadata("RepoRoot");

    public static string NanoMscorlib => Metadata("NanoMscorlib");

    /// <summary>The portable libraries: each has a net10.0 project and a classic nanoFramework project.</summary>
    public static IEnumerable<string> PortableLibraries =>
        Directory.GetFiles(Path.Combine(RepoRoot, "src"), "*.nfproj", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName)
            .Where(dir => Directory.GetFiles(dir!, "*.csproj").Length > 0)
            .Select(dir => dir!);

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
