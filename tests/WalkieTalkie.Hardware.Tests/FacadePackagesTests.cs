using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WalkieTalkie.Hardware.Tests;

/// <summary>
/// The compile-only facades carry the real assembly names and versions that nanoframework/facades/packages.md
/// lists, with the major.minor the reference notes require (nanoCLR binds by name and major.minor).
/// </summary>
public partial class FacadePackagesTests
{
    private static readonly string FacadesFolder = RepositoryFiles.PathOf("nanoframework/facades");

    /// <summary>The assemblies and major.minor versions /work/shared/reference/nanoframework.md names for the badge.</summary>
    private static readonly Dictionary<string, string> RequiredMajorMinor = new()
    {
        ["System.Device.Gpio"] = "1.1",
        ["System.Device.I2s"] = "1.0",
        ["nanoFramework.Hardware.Esp32"] = "1.6",
        ["System.Device.Wifi"] = "1.5",
        ["System.Net"] = "1.11",
        ["System.Net.Http"] = "1.5",
        ["nanoFramework.M2Mqtt"] = "5.1",
        ["nanoFramework.M2Mqtt.Core"] = "5.1",
        ["nanoFramework.Runtime.Events"] = "1.11",
        ["nanoFramework.Runtime.Native"] = "1.7",
        ["System.Threading"] = "1.1",
        ["nanoFramework.TestFramework"] = "3.0",
    };

    [Fact]
    public void Every_required_assembly_has_a_facade_with_its_major_minor()
    {
        var rows = PackageRows().ToDictionary(row => row.Assembly);

        foreach (var (assembly, majorMinor) in RequiredMajorMinor)
        {
            Assert.True(rows.ContainsKey(assembly), $"packages.md has no row for {assembly}");
            Assert.StartsWith(majorMinor + ".", rows[assembly].AssemblyVersion);
        }
    }

    [Fact]
    public void Each_row_matches_its_project_name_and_version()
    {
        foreach (var row in PackageRows())
        {
            var project = Path.Combine(FacadesFolder, row.Assembly, row.Assembly + ".csproj");
            Assert.True(File.Exists(project), $"no facade project {project}");
            Assert.Equal(row.Assembly, XDocument.Load(project).Descendants("AssemblyName").Single().Value);

            var assemblyInfo = File.ReadAllText(Path.Combine(FacadesFolder, row.Assembly, "Properties", "AssemblyInfo.cs"));
            Assert.Equal(row.AssemblyVersion, AssemblyVersion().Match(assemblyInfo).Groups[1].Value);
            Assert.Equal(row.PackageVersion + ".0", row.AssemblyVersion);
        }
    }

    [Fact]
    public void Every_facade_project_is_listed_and_built_by_the_nano_solution()
    {
        var listed = PackageRows().Select(row => row.Assembly).ToHashSet();
        var solution = File.ReadAllText(RepositoryFiles.PathOf("nanoframework/WalkieTalkie.Nano.slnx"));

        foreach (var folder in Directory.GetDirectories(FacadesFolder).Select(Path.GetFileName))
        {
            if (folder is "UsageCheck" or "bin" or "obj")
            {
                continue;
            }

            Assert.Contains(folder!, listed);
            Assert.Contains($"facades/{folder}/{folder}.csproj", solution);
        }

        Assert.Contains("facades/UsageCheck/UsageCheck.csproj", solution);
    }

    private static IEnumerable<(string Package, string PackageVersion, string Assembly, string AssemblyVersion)> PackageRows()
    {
        var lines = File.ReadAllLines(Path.Combine(FacadesFolder, "packages.md"));
        var header = Array.FindIndex(lines, line => line.StartsWith("| Package id |", StringComparison.Ordinal));
        Assert.True(header >= 0, "packages.md has no package table");
        for (var i = header + 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            var cells = lines[i].Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
            Assert.Equal(4, cells.Length);
            yield return (cells[0], cells[1], cells[2], cells[3]);
        }
    }

    [GeneratedRegex("AssemblyVersion\\(\"([0-9.]+)\"\\)")]
    private static partial Regex AssemblyVersion();
}
