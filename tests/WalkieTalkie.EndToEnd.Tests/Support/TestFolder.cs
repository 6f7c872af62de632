namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>
/// A test's own temporary folder (speech, decoded audio, the gateway's data). Deleted when the test calls
/// <see cref="Passed"/>; kept, and named in the test output, when it failed, so its files can be looked at.
/// </summary>
public sealed class TestFolder : IDisposable
{
    private readonly ITestOutputHelper _output;
    private bool _keep = true;

    private TestFolder(string path, ITestOutputHelper output)
    {
        Path = path;
        _output = output;
    }

    public string Path { get; }

    /// <summary>A new folder under the system's temporary folder, named <paramref name="prefix"/> and a random part.</summary>
    public static TestFolder Create(string prefix, ITestOutputHelper output) =>
        new(Directory.CreateTempSubdirectory(prefix).FullName, output);

    /// <summary>The path of <paramref name="name"/> in this folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The test got to its end: the folder goes with it.</summary>
    public void Passed() => _keep = false;

    public void Dispose()
    {
        if (_keep)
        {
            _output.WriteLine($"files kept in {Path}");
        }
        else
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
