using WalkieTalkie.NanoGate;

namespace WalkieTalkie.Build.Tests;

public class MetadataGateTests
{
    private static IReadOnlyList<GateViolation> Gate(string source)
    {
        var path = NanoCompiler.SaveTemporary(NanoCompiler.Compile("Sample", [source]), "sample");
        try
        {
            return MetadataGate.Check(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_generic_class_compiles_against_mscorlib_but_fails_the_gate()
    {
        var violations = Gate("namespace S { public class Box<T> { public T Value; } }");
        Assert.Contains(violations, v => v.Rule == "generic definition" && v.Where.Contains("Box`1"));
    }

    [Fact]
    public void A_generic_method_and_its_call_fail_the_gate()
    {
        var violations = Gate("namespace S { public static class C { static T Id<T>(T x) { return x; } public static int M() { return Id(1); } } }");
        Assert.Contains(violations, v => v.Rule == "generic definition");
        Assert.Contains(violations, v => v.Rule == "generic method instantiation");
    }

    [Fact]
    public void A_generic_delegate_from_mscorlib_fails_the_gate_even_in_a_local()
    {
        var violations = Gate("namespace S { public static class C { public static int M() { System.Action<int> a = null; return a == null ? 0 : 1; } } }");
        Assert.Contains(violations, v => v.Rule == "generic instantiation" && v.Where.Contains("System.Action`1<Int32>"));
    }

    [Fact]
    public void A_multi_dimensional_array_fails_the_gate()
    {
        var violations = Gate("namespace S { public class C { public int[,] Grid; } }");
        Assert.Contains(violations, v => v.Rule == "multi-dimensional array" && v.Where.Contains("Grid"));
    }

    [Fact]
    public void Plain_code_with_lambdas_strings_and_jagged_arrays_passes()
    {
        var violations = Gate("""
            namespace S
            {
                public delegate void Handler(int x);
                public class C
                {
                    private int[][] _jagged = new int[2][];
                    public event Handler Changed;
                    public string M(int x) { Handler h = y => _jagged[0] = new int[y]; h(x); Changed?.Invoke(x); return "n=" + x; }
                }
            }
            """);
        Assert.Empty(violations);
    }

    [Theory]
    [MemberData(nameof(PortableLibraries))]
    public void The_real_portable_sources_pass_the_gate(string library)
    {
        var path = NanoCompiler.SaveTemporary(CompilePortable(library), Path.GetFileName(library));
        try
        {
            Assert.Empty(MetadataGate.Check(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string> PortableLibraries() => new(BuildPaths.PortableLibraries);

    /// <summary>Compiles a portable library for nanoFramework, after the portable libraries its csproj references (Badge needs Protocol).</summary>
    private static byte[] CompilePortable(string library)
    {
        var csproj = System.Xml.Linq.XDocument.Load(Directory.GetFiles(library, "*.csproj").Single());
        var references = csproj.Descendants("ProjectReference")
            .Select(r => Path.GetDirectoryName(Path.GetFullPath(Path.Combine(library, r.Attribute("Include")!.Value)))!)
            .Where(dir => Directory.GetFiles(dir, "*.nfproj").Length > 0)
            .Select(dir => Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(CompilePortable(dir)))
            .ToList();
        var sources = Directory.GetFiles(library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText);
        return NanoCompiler.Compile(Path.GetFileName(library), sources, references);
    }
}
