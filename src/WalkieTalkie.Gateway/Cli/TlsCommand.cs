using System.CommandLine;
using Microsoft.Extensions.Configuration;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie tls show</c>: the site certificate's PEM and fingerprint, for provisioning badges (made if missing).</summary>
public static class TlsCommand
{
    public static Command Create(Option<string?> data)
    {
        var tls = new Command("tls", "The site TLS certificate");
        var show = new Command("show", "Print the site certificate (PEM) and its SHA-256 fingerprint; creates it when missing");
        show.SetAction(p =>
        {
            var configuration = WalkieConfiguration.Build([], p.GetValue(data));
            var gateway = configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
            var mqtt = configuration.GetSection("Mqtt").Get<MqttOptions>() ?? new MqttOptions();
            var path = mqtt.CertificatePath ?? Path.Combine(gateway.DataDirectory, "site-cert.pfx");
            using var certificate = SiteCertificate.LoadOrCreate(path, mqtt.CertificateHost);
            Console.WriteLine($"# {certificate.Subject}, valid until {certificate.NotAfter:u}, kept in {Path.GetFullPath(path)}");
            Console.WriteLine($"# SHA-256 fingerprint: {SiteCertificate.Fingerprint(certificate)}");
            Console.Write(SiteCertificate.Pem(certificate));
            return 0;
        });
        tls.Add(show);
        return tls;
    }
}
