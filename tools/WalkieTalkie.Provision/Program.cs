using System.CommandLine;
using WalkieTalkie.Provision.Provisioning;
using WalkieTalkie.Provision.SiteSettings;

var root = new RootCommand("WalkieTalkie badge tools: firmware site settings and badge provisioning");
root.Add(SiteSettingsCommand());
root.Add(BadgeCommand());
return root.Parse(args).Invoke();

static Command SiteSettingsCommand()
{
    var settings = new Option<string>("--settings") { Description = "nf.settings.json to read", DefaultValueFactory = _ => "nf.settings.json" };
    var output = new Option<string>("--output") { Description = "C# file to write", DefaultValueFactory = _ => "src/WalkieTalkie.Device/Settings/SiteSettings.g.cs" };
    var check = new Option<bool>("--check") { Description = "Write nothing; fail when the file differs from what nf.settings.json gives" };
    var command = new Command("site-settings", "Generate the firmware's SiteSettings.g.cs from nf.settings.json") { settings, output, check };
    command.SetAction(p =>
    {
        try
        {
            var source = SiteSettingsGenerator.Generate(File.ReadAllText(p.GetValue(settings)!));
            var path = p.GetValue(output)!;
            if (p.GetValue(check))
            {
                var current = File.Exists(path) ? File.ReadAllText(path) : "";
                if (current != source)
                {
                    Console.Error.WriteLine($"{path} is out of date: run walkie-provision site-settings");
                    return 1;
                }

                Console.WriteLine($"{path} matches {p.GetValue(settings)}");
                return 0;
            }

            File.WriteAllText(path, source);
            Console.WriteLine($"wrote {path}");
            return 0;
        }
        catch (Exception e) when (e is SettingsException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    });
    return command;
}

static Command BadgeCommand()
{
    var id = new Argument<string>("badge") { Description = "Badge id: 1-32 of a-z, 0-9, '-'" };
    var output = new Option<string>("--out") { Description = "Folder for the badge's files (holds secrets: keep it out of the repository)", Required = true };
    var gateway = new Option<string>("--gateway") { Description = "The gateway's HTTPS address the badge fetches its configuration from, e.g. https://walkie.example:8443", Required = true };
    var ssid = new Option<string>("--ssid") { Description = "Wi-Fi network name", Required = true };
    var passwordFile = new Option<string?>("--wifi-password-file") { Description = "File holding the Wi-Fi password (or set WALKIE_WIFI_PASSWORD); never on the command line" };
    var authentication = new Option<string>("--wifi-auth") { Description = "None, Open, WPA, WPA2 ...", DefaultValueFactory = _ => "WPA2" };
    var encryption = new Option<string>("--wifi-encryption") { Description = "None, WEP, WPA, WPA2 ...", DefaultValueFactory = _ => "WPA2" };
    var cli = new Option<string>("--gateway-cli") { Description = "The gateway's admin CLI to run", DefaultValueFactory = _ => "walkie" };
    var cliArgs = new Option<string[]>("--gateway-cli-arg") { Description = "An argument put before the CLI's command (repeat), e.g. --data", AllowMultipleArgumentsPerToken = false };
    var name = new Option<string?>("--name") { Description = "Display name for walkie badge add" };
    var rotate = new Option<bool>("--rotate") { Description = "The badge exists: give it a new secret (walkie badge rotate-secret)" };
    var secretFile = new Option<string?>("--secret-file") { Description = "Use this secret instead of asking the gateway CLI (with --ca-file)" };
    var caFile = new Option<string?>("--ca-file") { Description = "The site CA certificate (PEM) instead of walkie tls show" };
    var brokerHost = new Option<string?>("--broker-host") { Description = "Override nf.settings.json's broker host for this badge" };
    var brokerPort = new Option<int>("--broker-port") { Description = "Override the broker port for this badge" };

    var command = new Command("badge", "Provision one badge: credentials from the gateway, Wi-Fi and CA into nanoff deployment files")
    {
        id, output, gateway, ssid, passwordFile, authentication, encryption, cli, cliArgs, name, rotate, secretFile, caFile, brokerHost, brokerPort,
    };
    command.SetAction(p =>
    {
        try
        {
            var password = ReadWifiPassword(p.GetValue(passwordFile));
            if (!Uri.TryCreate(p.GetValue(gateway), UriKind.Absolute, out var gatewayUri))
            {
                throw new ProvisionException("--gateway is not an absolute address");
            }

            BadgeCredentials credentials;
            var badge = p.GetValue(id)!;
            if (p.GetValue(secretFile) is { } secretPath)
            {
                var ca = p.GetValue(caFile) ?? throw new ProvisionException("--secret-file needs --ca-file");
                credentials = new BadgeCredentials(badge, File.ReadAllText(secretPath).Trim(), GatewayCli.ExtractPem(File.ReadAllText(ca)));
            }
            else
            {
                credentials = new GatewayCli(p.GetValue(cli)!, p.GetValue(cliArgs) ?? []).Issue(badge, p.GetValue(name), p.GetValue(rotate));
                if (p.GetValue(caFile) is { } ca)
                {
                    credentials = credentials with { CaCertificatePem = GatewayCli.ExtractPem(File.ReadAllText(ca)) };
                }
            }

            var wifi = new WifiSettings(p.GetValue(ssid)!, password, p.GetValue(authentication)!, p.GetValue(encryption)!);
            var folder = p.GetValue(output)!;
            ProvisionPackage.Write(folder, credentials, wifi, gatewayUri, p.GetValue(brokerHost), p.GetValue(brokerPort));
            Console.WriteLine($"badge {badge}: wrote {Path.GetFullPath(folder)} ({ProvisionPackage.NetworkFile}, {ProvisionPackage.FilesFile}, {ProvisionPackage.IdentityFile}, {ProvisionPackage.CaFile})");
            Console.WriteLine($"next: scripts/flash-badge --port <serial port> --image <WalkieTalkie.Device.bin> --provision {folder}");
            return 0;
        }
        catch (Exception e) when (e is ProvisionException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    });
    return command;
}

static string ReadWifiPassword(string? file)
{
    var password = file is not null ? File.ReadAllText(file).TrimEnd('\r', '\n') : Environment.GetEnvironmentVariable("WALKIE_WIFI_PASSWORD");
    return password ?? throw new ProvisionException("no Wi-Fi password: give --wifi-password-file or set WALKIE_WIFI_PASSWORD");
}
