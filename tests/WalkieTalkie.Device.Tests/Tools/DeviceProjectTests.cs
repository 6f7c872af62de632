using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace WalkieTalkie.Device.Tests.Tools;

/// <summary>
/// The classic nanoFramework projects of the device work list every source (the project system does not glob), are
/// in the device solution, and pin the same package versions as the compile-only facades mirror.
/// </summary>
public partial class DeviceProjectTests
{
    public static TheoryData<string, string> NanoProjects() => new()
    {
        { "src/WalkieTalkie.Device", "WalkieTalkie.Device.nfproj" },
        { "tests/WalkieTalkie.Device.OnDeviceTests", "NFUnitTest.nfproj" },
    };

    [Theory]
    [MemberData(nameof(NanoProjects))]
    public void The_nfproj_lists_exactly_the_sources_of_its_folder(string folder, string project)
    {
        var root = RepositoryFiles.PathOf(folder);
        var listed = XDocument.Load(Path.Combine(root, project)).Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => e.Attribute("Include")!.Value.Replace('\\', '/')).ToHashSet();
        var onDisk = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/") && !f.StartsWith("bin/")).ToHashSet();

        Assert.True(onDisk.SetEquals(listed),
            $"{project}: missing {string.Join(", ", onDisk.Except(listed))}; extra {string.Join(", ", listed.Except(onDisk))} (run scripts/sync-nfproj {folder})");
    }

    [Theory]
    [MemberData(nameof(NanoProjects))]
    public void The_nfproj_is_in_the_device_solution(string folder, string project)
    {
        var solution = File.ReadAllText(RepositoryFiles.PathOf("WalkieTalkie.Device.sln"));
        Assert.Contains((folder + "/" + project).Replace('/', '\\'), solution);
    }

    [Theory]
    [MemberData(nameof(NanoProjects))]
    public void Every_reference_has_its_package_and_the_hint_path_of_its_version(string folder, string project)
    {
        var root = RepositoryFiles.PathOf(folder);
        var packages = XDocument.Load(Path.Combine(root, "packages.config")).Descendants("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);
        var references = XDocument.Load(Path.Combine(root, project)).Descendants().Where(e => e.Name.LocalName == "Reference").ToArray();

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            var hint = reference.Elements().Single(e => e.Name.LocalName == "HintPath").Value;
            var match = HintPath().Match(hint);
            Assert.True(match.Success, hint);
            var (id, version) = (match.Groups[1].Value, match.Groups[2].Value);
            Assert.True(packages.TryGetValue(id, out var pinned), $"{project} references {id} without a packages.config entry");
            Assert.Equal(pinned, version);
            // The test launcher is the one assembly the TestFramework package ships unversioned.
            var include = reference.Attribute("Include")!.Value;
            Assert.Contains(include.StartsWith("nanoFramework.UnitTestLauncher,", StringComparison.Ordinal) ? "Version=0.0.0.0," : $"Version={version}.0,", include);
        }
    }

    [Fact]
    public void The_application_uses_the_versions_the_facades_mirror_and_M2Mqtt_5_1_220_or_later()
    {
        var packages = XDocument.Load(RepositoryFiles.PathOf("src/WalkieTalkie.Device/packages.config")).Descendants("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);
        var mirrored = File.ReadAllLines(RepositoryFiles.PathOf("nanoframework/facades/packages.md"))
            .Where(l => l.StartsWith("| nanoFramework.", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Where(cells => cells[0] != "nanoFramework.TestFramework");

        foreach (var cells in mirrored)
        {
            Assert.True(packages.TryGetValue(cells[0], out var version), $"packages.config lacks {cells[0]}");
            Assert.Equal(cells[1], version);
        }

        Assert.Equal("1.17.11", packages["nanoFramework.CoreLibrary"]);
        Assert.True(Version.Parse(packages["nanoFramework.M2Mqtt"]) >= new Version(5, 1, 220));
    }

    [Fact]
    public void The_on_device_tests_are_named_NFUnitTest_and_use_only_portable_assemblies()
    {
        var project = XDocument.Load(RepositoryFiles.PathOf("tests/WalkieTalkie.Device.OnDeviceTests/NFUnitTest.nfproj"));
        Assert.Equal("NFUnitTest", project.Descendants().Single(e => e.Name.LocalName == "AssemblyName").Value);
        var assemblies = project.Descendants().Where(e => e.Name.LocalName == "Reference")
            .Select(e => e.Attribute("Include")!.Value.Split(',')[0]).Order();
        Assert.Equal(["mscorlib", "nanoFramework.TestFramework", "nanoFramework.UnitTestLauncher"], assemblies);
        var projects = project.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileName(e.Attribute("Include")!.Value.Replace('\\', '/'))).Order();
        Assert.Equal(["WalkieTalkie.Badge.nfproj", "WalkieTalkie.Protocol.nfproj"], projects);
        Assert.True(File.Exists(RepositoryFiles.PathOf("tests/WalkieTalkie.Device.OnDeviceTests/nano.runsettings")));
    }

    [Fact]
    public void The_nano_solution_builds_the_device_and_on_device_test_compile_checks()
    {
        var solution = File.ReadAllText(RepositoryFiles.PathOf("nanoframework/WalkieTalkie.Nano.slnx"));
        Assert.Contains("WalkieTalkie.Device/WalkieTalkie.Device.NanoCheck.csproj", solution);
        Assert.Contains("WalkieTalkie.Device.OnDeviceTests/NFUnitTest.NanoCheck.csproj", solution);
    }

    [GeneratedRegex(@"packages\\([A-Za-z.0-9]+?)\.(\d+\.\d+\.\d+)\\lib\\")]
    private static partial Regex HintPath();
}
