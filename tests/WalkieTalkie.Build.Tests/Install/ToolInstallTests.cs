using System.IO.Compression;
using Xunit.Abstractions;

namespace WalkieTalkie.Build.Tests.Install;

/// <summary>
/// Issue 11, item 16: <c>walkie</c> installs as a .NET tool instead of running from a source tree. The gateway project
/// is packed as the owner's <c>scripts/publish</c> packs it, installed into a tool path of its own from that package
/// alone (no other feed), and the installed command answers <c>--version</c> and runs the demo to its end. Before:
/// the project was not a tool (<c>dotnet tool install</c> refused the package: "not a .NET tool").
/// </summary>
public class ToolInstallTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_packed_tool_installs_and_its_walkie_runs_the_demo()
    {
        var root = Directory.CreateTempSubdirectory("wt-tool-").FullName;
        try
        {
            var packages = Path.Combine(root, "packages");
            var project = Path.Combine(BuildPaths.RepoRoot, "src/WalkieTalkie.Gateway/WalkieTalkie.Gateway.csproj");
            var pack = await Run("dotnet", BuildPaths.RepoRoot, "pack", project, "-c", "Release", "-o", packages, "--nologo");
            Assert.True(pack.ExitCode == 0, pack.ToString());
            var package = Assert.Single(Directory.GetFiles(packages, "WalkieTalkie.Gateway.*.nupkg"));
            var version = Path.GetFileNameWithoutExtension(package)["WalkieTalkie.Gateway.".Length..];
            using (var zip = ZipFile.OpenRead(package))
            {
                Assert.Contains(zip.Entries, e => e.FullName == "tools/net10.0/any/DotnetToolSettings.xml");
                Assert.Contains(zip.Entries, e => e.FullName == "tools/net10.0/any/appsettings.json");
            }

            // Only the package just made: a nuget.config that clears every other source.
            var config = Path.Combine(root, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(root, "tools");
            var install = await Run("dotnet", root, "tool", "install", "WalkieTalkie.Gateway", "--tool-path", tools, "--version", version, "--configfile", config);
            Assert.True(install.ExitCode == 0, install.ToString());
            var walkie = Path.Combine(tools, "walkie");
            Assert.True(File.Exists(walkie), $"no walkie command in {tools}");

            var reported = await Run(walkie, root, "--version");
            Assert.True(reported.ExitCode == 0, reported.ToString());
            Assert.StartsWith(version, reported.Output.Trim());

            // Run where no source tree is: its settings come from the package (appsettings.json next to walkie.dll).
            var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
            var demo = await Run(walkie, work, "demo", "--out", "demo");
            Assert.True(demo.ExitCode == 0, demo.ToString());
            var heard = Directory.GetFiles(Path.Combine(work, "demo"), "*-heard.wav");
            Assert.NotEmpty(heard);
            Assert.All(heard, f => Assert.True(new FileInfo(f).Length > 44, $"{f} holds no audio"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private async Task<ProcessRun> Run(string program, string directory, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var run = await ProcessRun.RunAsync(program, directory, Limit, environment, arguments);
        output.WriteLine($"$ {Path.GetFileName(program)} {string.Join(' ', arguments)}\n{run}");
        return run;
    }
}
