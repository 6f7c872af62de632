using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Provision.Provisioning;

/// <summary>
/// Writes what one badge needs into a folder, for scripts/flash-badge to deploy with nanoff:
/// <list type="bullet">
/// <item><c>network.json</c>: nanoff <c>--networkdeployment</c> (Wi-Fi station with auto-connect and DHCP, the CA)</item>
/// <item><c>files.json</c>: nanoff <c>--filedeployment</c>, putting the next two on the badge's internal drive I:</item>
/// <item><c>badge.cfg</c>: the badge's identity (id, secret, gateway address), read by the firmware at boot</item>
/// <item><c>ca.pem</c>: the site's CA certificate</item>
/// </list>
/// The folder holds secrets: its files are readable by the owner only, and it belongs nowhere near the repository.
/// </summary>
public static class ProvisionPackage
{
    public const string NetworkFile = "network.json";
    public const string FilesFile = "files.json";
    public const string IdentityFile = "badge.cfg";
    public const string CaFile = "ca.pem";

    /// <summary>Where the firmware reads its files (must match src/WalkieTalkie.Device/Storage/FlashFiles.cs).</summary>
    public const string DeviceDrive = "I:\\";

    private static readonly string[] Authentications = ["None", "Open", "Shared", "WEP", "WPA", "WPA2", "EAP", "PEAP", "WCN"];
    private static readonly string[] Encryptions = ["None", "WEP", "WPA", "WPA2", "WPA_PSK", "WPA2_PSK2", "Certificate"];

    /// <summary>Checks everything, then writes the four files into <paramref name="folder"/> (created if missing).</summary>
    /// <exception cref="ProvisionException">An invalid value; nothing is written then.</exception>
    public static void Write(string folder, BadgeCredentials credentials, WifiSettings wifi, Uri gateway, string? brokerHost, int brokerPort)
    {
        Validate(credentials, wifi, gateway, brokerHost, brokerPort);
        Directory.CreateDirectory(folder);
        var full = Path.GetFullPath(folder);

        WriteSecret(Path.Combine(full, IdentityFile), IdentityText(credentials, gateway, brokerHost, brokerPort));
        WriteSecret(Path.Combine(full, CaFile), credentials.CaCertificatePem);

        var network = new JsonObject
        {
            ["WirelessClient"] = new JsonObject
            {
                ["Ssid"] = wifi.Ssid,
                ["Password"] = wifi.Password,
                ["Authentication"] = wifi.Authentication,
                ["Encryption"] = wifi.Encryption,
                ["ConfigurationOption"] = "AutoConnect",
                ["DhcpEnabled"] = true,
                ["AutomaticDNS"] = true,
            },
            ["CACertificatesPath"] = Path.Combine(full, CaFile),
        };
        WriteSecret(Path.Combine(full, NetworkFile), network.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var files = new JsonObject
        {
            ["Files"] = new JsonArray(
                FileEntry(DeviceDrive + IdentityFile, Path.Combine(full, IdentityFile)),
                FileEntry(DeviceDrive + CaFile, Path.Combine(full, CaFile))),
        };
        WriteSecret(Path.Combine(full, FilesFile), files.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The identity file's text: the format src/WalkieTalkie.Device/Settings/IdentityFile.cs reads.</summary>
    public static string IdentityText(BadgeCredentials credentials, Uri gateway, string? brokerHost, int brokerPort)
    {
        var text = new StringBuilder();
        text.Append("# WalkieTalkie badge identity, written by walkie-provision. Secret: keep off the repository.\n");
        text.Append("badge=").Append(credentials.BadgeId).Append('\n');
        text.Append("secret=").Append(credentials.Secret).Append('\n');
        text.Append("gateway=").Append(gateway.GetLeftPart(UriPartial.Authority)).Append('\n');
        if (brokerHost is not null)
        {
            text.Append("broker-host=").Append(brokerHost).Append('\n');
        }

        if (brokerPort != 0)
        {
            text.Append("broker-port=").Append(brokerPort).Append('\n');
        }

        return text.ToString();
    }

    private static void Validate(BadgeCredentials credentials, WifiSettings wifi, Uri gateway, string? brokerHost, int brokerPort)
    {
        if (!Topics.IsValidBadgeId(credentials.BadgeId))
        {
            throw new ProvisionException($"'{credentials.BadgeId}' is not a valid badge id: 1-32 of a-z, 0-9 and '-', not starting with '-'");
        }

        if (!IsPrintableAscii(credentials.Secret) || credentials.Secret.Length == 0 || credentials.Secret.Contains(' '))
        {
            throw new ProvisionException("the secret must be printable ASCII without spaces (the badge's identity file is ASCII)");
        }

        if (!credentials.CaCertificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new ProvisionException("the CA certificate is not PEM");
        }

        if (!gateway.IsAbsoluteUri || gateway.Scheme != Uri.UriSchemeHttps || !IsPrintableAscii(gateway.Host))
        {
            throw new ProvisionException($"the gateway address must be https:// with an ASCII host, not {gateway}");
        }

        if (brokerHost is not null && (brokerHost.Length == 0 || !IsPrintableAscii(brokerHost) || brokerHost.Contains(' ')))
        {
            throw new ProvisionException("the broker host must be printable ASCII");
        }

        if (brokerPort is < 0 or > 65535)
        {
            throw new ProvisionException("the broker port must be 1-65535");
        }

        if (string.IsNullOrEmpty(wifi.Ssid) || Encoding.UTF8.GetByteCount(wifi.Ssid) > 32)
        {
            throw new ProvisionException("the Wi-Fi SSID must be 1-32 bytes");
        }

        if (Array.IndexOf(Authentications, wifi.Authentication) < 0 || Array.IndexOf(Encryptions, wifi.Encryption) < 0)
        {
            throw new ProvisionException($"Wi-Fi authentication must be one of {string.Join(", ", Authentications)} and encryption one of {string.Join(", ", Encryptions)}");
        }

        var open = wifi.Authentication is "None" or "Open";
        if (!open && (wifi.Password.Length < 8 || wifi.Password.Length > 64))
        {
            throw new ProvisionException("a WPA/WPA2 password has 8-63 characters (or 64 hex digits)");
        }
    }

    private static JsonObject FileEntry(string destination, string source) => new()
    {
        ["DestinationFilePath"] = destination,
        ["SourceFilePath"] = source,
    };

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= (char)0x21 and <= (char)0x7E or ' ');

    private static void WriteSecret(string path, string text)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, true);
    }
}
