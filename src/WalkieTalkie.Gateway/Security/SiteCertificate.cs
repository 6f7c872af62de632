using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// The site's TLS certificate: self-signed (it is its own trust anchor, written to each badge at provisioning),
/// ECDSA P-256, made once and kept as PKCS#12 next to the database. <c>walkie tls show</c> prints its PEM and SHA-256
/// fingerprint.
/// </summary>
public static class SiteCertificate
{
    public static X509Certificate2 LoadOrCreate(string path, string hostName)
    {
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}, O=WalkieTalkie site", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        var pfx = created.Export(X509ContentType.Pfx);
        OwnerOnly.WriteAllBytes(path, pfx);

        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }

    /// <summary>The SHA-256 fingerprint, colon-separated hex, as badges and <c>openssl x509 -fingerprint -sha256</c> show it.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2")));

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();
}
