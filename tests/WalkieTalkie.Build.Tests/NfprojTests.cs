using System.Xml.Linq;

namespace WalkieTalkie.Build.Tests;

/// <summary>
/// The classic .nfproj lists its sources one by one (nanoFramework's project system does no globbing), so a
/// file added to a portable library and forgotten there breaks the Visual Studio build only. This catches it.
/// </summary>
public class NfprojTests
{
    public static TheoryData<string> PortableLibraries() => new(BuildPaths.PortableLibraries);

    [Theory]
    [MemberData(nameof(PortableLibraries))]
    public void The_nfproj_lists_exactly_the_sources_of_the_library(string library)
    {
        var nfproj = Directory.GetFiles(library, "*.nfproj").Single();
        var listed = XDocument.Load(nfproj).Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => e.Attribute("Include")!.Value.Replace('\\', '/'))
            .ToHashSet();
        var onDisk = Directory.GetFiles(library, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(library, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/") && !f.StartsWith("bin/"))
            .ToHashSet();

        Assert.True(onDisk.Except(listed).Count() == 0, $"{Path.GetFileName(nfproj)} misses: {string.Join(", ", onDisk.Except(listed))}");
        Assert.True(listed.Except(onDisk).Count() == 0, $"{Path.GetFileName(nfproj)} lists missing files: {string.Join(", ", listed.Except(onDisk))}");
    }

    [Theory]
    [MemberData(nameof(PortableLibraries))]
    public void The_nfproj_references_the_same_corelibrary_as_its_packages_config(string library)
    {
        var nfproj = File.ReadAllText(Directory.GetFiles(library, "*.nfproj").Single());
        var packages = XDocument.Load(Path.Combine(library, "packages.config")).Descendants("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);

        Assert.Equal("1.17.11", packages["nanoFramework.CoreLibrary"]);
        Assert.Contains(@"packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll", nfproj);
        Assert.Contains("mscorlib, Version=1.17.11.0", nfproj);
    }

    [Theory]
    [MemberData(nameof(PortableLibraries))]
    public void The_nfproj_is_in_the_device_solution(string library)
    {
        var solution = File.ReadAllText(Path.Combine(BuildPaths.RepoRoot, "WalkieTalkie.Device.sln"));
        var nfproj = Path.GetRelativePath(BuildPaths.RepoRoot, Directory.GetFiles(library, "*.nfproj").Single()).Replace('/', '\\');
        Assert.Contains(nfproj, solution);
    }
}
