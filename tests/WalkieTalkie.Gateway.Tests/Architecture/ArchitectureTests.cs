using System.Reflection;
using System.Reflection.Emit;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Architecture;

/// <summary>The seams of docs/architecture.md, checked on the compiled gateway.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Gateway = typeof(GatewayEngine).Assembly;

    private static IEnumerable<Type> TypesIn(string ns) =>
        Gateway.GetTypes().Where(t => t.Namespace == ns && !t.IsNested).SelectMany(MethodReferences.WithNested);

    private static bool IsStorageApi(Type type) =>
        type.Namespace is { } ns && (ns.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal)
                                     || ns.StartsWith("WalkieTalkie.Gateway.Storage.Sqlite", StringComparison.Ordinal)
                                     || ns.StartsWith("WalkieTalkie.Gateway.Storage.Sql", StringComparison.Ordinal)
                                     || ns.StartsWith("Npgsql", StringComparison.Ordinal)
                                     || ns.StartsWith("WalkieTalkie.Gateway.Storage.Postgres", StringComparison.Ordinal))
        || type == typeof(File) || type == typeof(FileStream) || type == typeof(Directory) || type == typeof(FileInfo)
        || type == typeof(DirectoryInfo) || type == typeof(StreamReader) || type == typeof(StreamWriter);

    [Fact]
    public void The_engines_loop_calls_no_database_or_file_api()
    {
        var offences = TypesIn("WalkieTalkie.Gateway.Engine")
            .SelectMany(type => MethodReferences.MethodsOf(type).SelectMany(method => MethodReferences.Of(method)
                .Where(r => r.Member.DeclaringType is { } declaring && IsStorageApi(declaring))
                .Select(r => $"{type.FullName}.{method.Name} -> {r.Member.DeclaringType!.FullName}.{r.Member.Name}")))
            .Distinct()
            .ToList();

        Assert.True(offences.Count == 0, string.Join("\n", offences));
        // The scan sees through what the compiler makes of async methods and lambdas: it finds the engine's own calls.
        Assert.Contains(TypesIn("WalkieTalkie.Gateway.Engine").SelectMany(MethodReferences.MethodsOf).SelectMany(MethodReferences.Of),
            r => r.Member.Name == nameof(EngineStorage.UnplayedAsync));
    }

    [Fact]
    public void Stores_are_made_only_by_the_composition_root_and_the_storage_implementations()
    {
        var storePorts = Gateway.GetTypes().Where(t => t.IsInterface && t.Namespace is "WalkieTalkie.Gateway.Storage" or "WalkieTalkie.Gateway.Storage.Bridge").ToList();
        Assert.Contains(typeof(IRecordingIndex), storePorts);
        var stores = Gateway.GetTypes().Where(t => !t.IsInterface && storePorts.Any(p => p.IsAssignableFrom(t))).ToList();
        Assert.Contains(stores, t => t.Name == "SqliteRecordingIndex");

        var allowed = new[]
        {
            "WalkieTalkie.Gateway.Hosting", "WalkieTalkie.Gateway.Storage.Sql", "WalkieTalkie.Gateway.Storage.Sqlite", "WalkieTalkie.Gateway.Storage.Sqlite.Bridge",
        };
        var offences = Gateway.GetTypes().Where(t => !t.IsNested && !allowed.Contains(t.Namespace))
            .SelectMany(MethodReferences.WithNested)
            .SelectMany(type => MethodReferences.MethodsOf(type).SelectMany(method => MethodReferences.Of(method)
                .Where(r => r.OpCode == OpCodes.Newobj && r.Member is ConstructorInfo c && stores.Contains(c.DeclaringType!))
                .Select(r => $"{type.FullName}.{method.Name} makes {r.Member.DeclaringType!.Name}")))
            .Distinct()
            .ToList();

        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    [Fact]
    public void No_src_project_references_tools()
    {
        var offences = Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.csproj", SearchOption.AllDirectories)
            .SelectMany(project => System.Xml.Linq.XDocument.Load(project).Descendants("ProjectReference")
                .Select(reference => (Project: project, Include: reference.Attribute("Include")?.Value ?? ""))
                .Where(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(r.Project)!, r.Include))
                    .StartsWith(RepositoryFiles.PathOf("tools"), StringComparison.Ordinal)))
            .Select(r => $"{Path.GetFileName(r.Project)} -> {r.Include}")
            .ToList();

        Assert.Empty(offences);
    }
}
