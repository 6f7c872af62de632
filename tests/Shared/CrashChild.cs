namespace WalkieTalkie.Tests.Shared;

/// <summary>The child process the Matrix store and outbox tests run beside themselves (tests/WalkieTalkie.Matrix.CrashChild).</summary>
internal static class CrashChild
{
    /// <summary>Its dll, built next to this test project: tests/WalkieTalkie.Matrix.CrashChild/bin/&lt;configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string Dll()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var (tfm, configuration) = (baseDir.Name, baseDir.Parent!.Name);
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "WalkieTalkie.Matrix.CrashChild", "bin", configuration, tfm, "WalkieTalkie.Matrix.CrashChild.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("WalkieTalkie.Matrix.CrashChild.dll is not built (dotnet build tests/WalkieTalkie.Matrix.CrashChild)");
    }
}
