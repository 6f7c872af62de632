namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// Which methods the runtime compiled during a measured stretch, when it is asked to list them
/// (<c>DOTNET_JitStdOutFile=FILE DOTNET_JitDisasmSummary=1</c>: a line per method compiled, with its tier): the lines the
/// file gained over the stretch are saved beside it as <c>FILE.NAME</c>. Null (nothing listed) when it is not asked.
/// </summary>
public sealed class JitList
{
    private readonly string _file;
    private readonly int _lines;

    private JitList(string file, int lines)
    {
        _file = file;
        _lines = lines;
    }

    public static JitList? Mark()
    {
        var file = Environment.GetEnvironmentVariable("DOTNET_JitStdOutFile");
        return file is null || Environment.GetEnvironmentVariable("DOTNET_JitDisasmSummary") != "1" || !File.Exists(file)
            ? null
            : new JitList(file, Lines(file).Length);
    }

    public void Save(string name) => File.WriteAllLines($"{_file}.{name}", Lines(_file).Skip(_lines));

    private static string[] Lines(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
