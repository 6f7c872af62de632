using System.Runtime.Versioning;

namespace WalkieTalkie.Build.Tests.Install;

/// <summary>
/// Issue 11, item 16: the systemd unit that runs the published gateway (<c>deploy/systemd/walkie.service</c>) is one
/// systemd accepts, and it keeps the sandboxing the issue asks for: its own user, a read-only system, no new
/// privileges, a state directory only it can read, and a config file location.
/// </summary>
public class SystemdUnitTests
{
    private static readonly string Unit = Path.Combine(BuildPaths.RepoRoot, "deploy/systemd/walkie.service");

    [Theory]
    [InlineData("User=walkie")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=yes")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("StateDirectory=walkie")]
    [InlineData("StateDirectoryMode=0700")]
    [InlineData("UMask=0077")]
    [InlineData("CapabilityBoundingSet=")]
    [InlineData("ExecStart=/opt/walkie/walkie run")]
    [InlineData("WorkingDirectory=/etc/walkie")]
    [InlineData("Environment=WALKIE_Gateway__DataDirectory=/var/lib/walkie")]
    public void The_unit_sandboxes_the_gateway(string line)
    {
        Assert.Contains(line, File.ReadAllLines(Unit).Select(l => l.Trim()));
    }

    [SystemdFact]
    [SupportedOSPlatform("linux")]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        // verify also checks that ExecStart names an executable: the unit is checked with the program at a path that exists.
        var folder = Directory.CreateTempSubdirectory("wt-unit-").FullName;
        try
        {
            var program = Path.Combine(folder, "walkie");
            await File.WriteAllTextAsync(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var unit = Path.Combine(folder, "walkie.service");
            await File.WriteAllTextAsync(unit, (await File.ReadAllTextAsync(Unit)).Replace("/opt/walkie/walkie", program));

            var verify = await ProcessRun.RunAsync(SystemdFactAttribute.Analyze, folder, TimeSpan.FromMinutes(1), null, "verify", unit);

            // An unknown or misspelt setting is only a warning (exit 0): any line printed fails the test too.
            Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0 && verify.Errors.Trim().Length == 0, verify.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
