using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace WalkieTalkie.Build.Tests;

/// <summary>Compiles C# as the nanoFramework build does: against mscorlib 1.17.11 only, C# 9.</summary>
internal static class NanoCompiler
{
    public static byte[] Compile(string assemblyName, IEnumerable<string> sources, IEnumerable<MetadataReference>? references = null)
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp9);
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source, options));
        var compilation = CSharpCompilation.Create(assemblyName, trees,
            [MetadataReference.CreateFromFile(BuildPaths.NanoMscorlib), .. references ?? []],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(result.Success, string.Join(Environment.NewLine, errors));
        return output.ToArray();
    }

    public static string SaveTemporary(byte[] assembly, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.dll");
        File.WriteAllBytes(path, assembly);
        return path;
    }
}
