using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>
/// How a badge checks the broker's certificate: as the device does with its provisioned <c>ca.pem</c>, the site
/// certificate is the only trust anchor (not the machine's store), and the certificate must carry the name dialled.
/// </summary>
internal static class SiteTrust
{
    public static bool Accepts(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2 anchor)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
