using System.Diagnostics;
using System.Text;
using System.Text.Json;
using WalkieTalkie.Device.Settings;
using WalkieTalkie.Provision.Provisioning;
using Xunit;

namespace WalkieTalkie.Device.Tests.Tools;

/// <summary>
/// Provisioning: what it writes is what nanoff and the firmware read, the credentials come from the gateway's CLI
/// (a stand-in script printing what <c>walkie badge add</c> and <c>walkie tls show</c> print), and bad input writes
/// nothing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // owner-only file modes are a Unix notion
public sealed class ProvisionTests : IDisposable
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2F0\nZm9vYmFy\n-----END CERTIFICATE-----\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("walkie-provision-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private static BadgeCredentials Credentials(string id = "anna") => new(id, "Zt6-secret_Q9", Pem);

    private static WifiSettings Wifi() => new("Home Net", "correct horse battery");

    [Fact]
    public void The_identity_file_written_is_read_back_by_the_firmware_parser()
    {
        var text = ProvisionPackage.IdentityText(Credentials(), new Uri("https://walkie.example:8443/ignored/path"), "10.1.2.3", 8884);
        var bytes = Encoding.ASCII.GetBytes(text);

        var identity = IdentityFile.Parse(bytes, bytes.Length, out var error);

        Assert.Null(error);
        Assert.Equal("anna", identity.BadgeId);
        Assert.Equal("Zt6-secret_Q9", identity.Secret);
        Assert.Equal("https://walkie.example:8443/badge/v1/anna/config", identity.ConfigUrl);
        Assert.Equal("10.1.2.3", identity.BrokerHost);
        Assert.Equal(8884, identity.BrokerPort);
    }

    [Fact]
    public void The_package_holds_nanoffs_network_and_file_deployments_readable_only_by_the_owner()
    {
        ProvisionPackage.Write(_folder, Credentials(), Wifi(), new Uri("https://walkie.example"), null, 0);

        using var network = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "network.json")));
        var client = network.RootElement.GetProperty("WirelessClient");
        Assert.Equal("Home Net", client.GetProperty("Ssid").GetString());
        Assert.Equal("correct horse battery", client.GetProperty("Password").GetString());
        Assert.Equal("WPA2", client.GetProperty("Authentication").GetString());
        Assert.Equal("AutoConnect", client.GetProperty("ConfigurationOption").GetString());
        Assert.True(client.GetProperty("DhcpEnabled").GetBoolean());
        Assert.Equal(Pem, File.ReadAllText(network.RootElement.GetProperty("CACertificatesPath").GetString()!));

        using var files = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "files.json")));
        var entries = files.RootElement.GetProperty("Files").EnumerateArray()
            .ToDictionary(e => e.GetProperty("DestinationFilePath").GetString()!, e => e.GetProperty("SourceFilePath").GetString()!);
        Assert.Equal(["I:\\badge.cfg", "I:\\ca.pem"], entries.Keys.Order());
        Assert.All(entries.Values, path => Assert.True(File.Exists(path), path));
        Assert.Contains("secret=Zt6-secret_Q9", File.ReadAllText(entries["I:\\badge.cfg"]));

        foreach (var file in Directory.GetFiles(_folder))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void The_firmware_reads_the_files_where_provisioning_puts_them()
    {
        var flashFiles = File.ReadAllText(RepositoryFiles.PathOf("src/WalkieTalkie.Device/Storage/FlashFiles.cs"));
        Assert.Contains("Drive = \"I:\\\\\"", flashFiles);
        Assert.Contains("Drive + \"" + ProvisionPackage.IdentityFile + "\"", flashFiles);
        Assert.Contains("Drive + \"" + ProvisionPackage.CaFile + "\"", flashFiles);
    }

    [Theory]
    [InlineData("Anna", "Zt6", "https://g", "not a valid badge id")]
    [InlineData("anna", "has space", "https://g", "printable ASCII")]
    [InlineData("anna", "Zt6", "http://g", "https://")]
    public void Bad_credentials_or_addresses_write_nothing(string id, string secret, string gateway, string reason)
    {
        var error = Assert.Throws<ProvisionException>(() =>
            ProvisionPackage.Write(_folder, new BadgeCredentials(id, secret, Pem), Wifi(), new Uri(gateway), null, 0));

        Assert.Contains(reason, error.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("", "password123", "WPA2", "SSID")]
    [InlineData("an SSID longer than thirty-two bytes", "password123", "WPA2", "SSID")]
    [InlineData("home", "short", "WPA2", "8-63")]
    [InlineData("home", "password123", "WPA3", "authentication must be one of")]
    public void Bad_wifi_settings_write_nothing(string ssid, string password, string authentication, string reason)
    {
        var error = Assert.Throws<ProvisionException>(() =>
            ProvisionPackage.Write(_folder, Credentials(), new WifiSettings(ssid, password, authentication), new Uri("https://g"), null, 0));

        Assert.Contains(reason, error.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void An_open_network_needs_no_password()
    {
        ProvisionPackage.Write(_folder, Credentials(), new WifiSettings("cafe", "", "Open", "None"), new Uri("https://g"), null, 0);
        Assert.True(File.Exists(Path.Combine(_folder, "network.json")));
    }

    [Fact]
    public void Credentials_come_from_the_gateway_cli_as_it_prints_them()
    {
        var cli = FakeGatewayCli("""
            case "$*" in
              "--data /srv/walkie badge add anna --name Anna") echo "badge anna added; secret (shown once, write it to the badge): Zt6-secret_Q9" ;;
              "--data /srv/walkie tls show") printf '# CN=walkie, valid until 2030\n# SHA-256 fingerprint: AB:CD\n%s' "$PEM" ;;
              *) echo "unexpected: $*" >&2; exit 9 ;;
            esac
            """);

        var credentials = new GatewayCli(cli, ["--data", "/srv/walkie"]).Issue("anna", "Anna", rotate: false);

        Assert.Equal("anna", credentials.BadgeId);
        Assert.Equal("Zt6-secret_Q9", credentials.Secret);
        Assert.Equal(Pem, credentials.CaCertificatePem);
    }

    [Fact]
    public void Rotating_asks_for_a_new_secret()
    {
        var cli = FakeGatewayCli("""
            case "$1 $2" in
              "badge rotate-secret") echo "badge $3 new secret (shown once): N3w-secret" ;;
              "tls show") printf '%s' "$PEM" ;;
              *) exit 9 ;;
            esac
            """);

        Assert.Equal("N3w-secret", new GatewayCli(cli, []).Issue("anna", null, rotate: true).Secret);
    }

    [Fact]
    public void A_failing_gateway_cli_is_reported_with_its_message()
    {
        var cli = FakeGatewayCli("""echo "badge 'anna' already exists" >&2; exit 1""");

        var error = Assert.Throws<ProvisionException>(() => new GatewayCli(cli, []).Issue("anna", null, false));

        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public void A_missing_gateway_cli_is_reported()
    {
        var error = Assert.Throws<ProvisionException>(() => new GatewayCli(Path.Combine(_folder, "no-such-walkie"), []).Issue("anna", null, false));
        Assert.Contains("cannot start", error.Message);
    }

    [Fact]
    public void The_command_line_provisions_from_a_secret_file_and_a_ca_file()
    {
        var secret = Path.Combine(_folder, "secret.txt");
        var ca = Path.Combine(_folder, "ca-in.pem");
        var password = Path.Combine(_folder, "wifi.txt");
        File.WriteAllText(secret, "Zt6-secret_Q9\n");
        File.WriteAllText(ca, Pem);
        File.WriteAllText(password, "correct horse battery\n");
        var output = Path.Combine(_folder, "anna");

        var (code, stdout, _) = RunTool("badge", "anna", "--out", output, "--gateway", "https://walkie.example:8443",
            "--ssid", "Home Net", "--wifi-password-file", password, "--secret-file", secret, "--ca-file", ca);

        Assert.Equal(0, code);
        Assert.Contains("scripts/flash-badge", stdout);
        var bytes = File.ReadAllBytes(Path.Combine(output, "badge.cfg"));
        var identity = IdentityFile.Parse(bytes, bytes.Length, out var error);
        Assert.Null(error);
        Assert.Equal("https://walkie.example:8443", identity.GatewayUrl);
    }

    [Fact]
    public void The_command_line_without_a_wifi_password_fails_cleanly()
    {
        var (code, _, stderr) = RunTool("badge", "anna", "--out", Path.Combine(_folder, "x"), "--gateway", "https://g",
            "--ssid", "home", "--secret-file", "/nonexistent", "--ca-file", "/nonexistent");

        Assert.Equal(2, code);
        Assert.Contains("Wi-Fi password", stderr);
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }

    [Fact]
    public void The_site_settings_check_passes_on_the_repository()
    {
        var (code, stdout, stderr) = RunTool("site-settings", "--check",
            "--settings", RepositoryFiles.PathOf("nf.settings.json"),
            "--output", RepositoryFiles.PathOf("src/WalkieTalkie.Device/Settings/SiteSettings.g.cs"));

        Assert.True(code == 0, stderr);
        Assert.Contains("matches", stdout);
    }

    private string FakeGatewayCli(string body)
    {
        var path = Path.Combine(_folder, "walkie");
        File.WriteAllText(path, "#!/bin/sh\nPEM='" + Pem + "'\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static (int Code, string Stdout, string Stderr) RunTool(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "walkie-provision.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("WALKIE_WIFI_PASSWORD");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "walkie-provision did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
