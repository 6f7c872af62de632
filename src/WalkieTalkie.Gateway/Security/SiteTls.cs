using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// The site certificate when some listener uses TLS (the embedded broker's TLS port, HTTPS), made on first use and
/// kept beside the database; null when nothing does.
/// </summary>
public sealed class SiteTls : IDisposable
{
    public SiteTls(IOptions<GatewayOptions> gateway, IOptions<MqttOptions> mqtt, IOptions<HttpOptions> http)
    {
        var m = mqtt.Value;
        if ((!m.IsExternal && m.TlsPort > 0) || http.Value.TlsPort > 0)
        {
            Certificate = SiteCertificate.LoadOrCreate(m.CertificatePath ?? Path.Combine(gateway.Value.DataDirectory, "site-cert.pfx"), m.CertificateHost);
        }
    }

    public X509Certificate2? Certificate { get; }

    public void Dispose() => Certificate?.Dispose();
}
