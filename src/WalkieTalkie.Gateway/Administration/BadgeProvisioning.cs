using QRCoder;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>
/// What a new (or re-keyed) badge's secret is handed over as, once: the secret file <c>walkie-provision badge
/// --secret-file</c> reads (the secret on one line), the same text as a QR code (PNG) for a phone beside the badge,
/// and the command that writes the badge's files from it.
/// </summary>
public sealed record BadgeProvisioning(string BadgeId, string Secret, string FileName, string FileText, string QrPngBase64, string Command)
{
    public static BadgeProvisioning For(string badgeId, string secret)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(secret, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        var file = badgeId + ".secret";
        return new BadgeProvisioning(badgeId, secret, file, secret + "\n", Convert.ToBase64String(png),
            $"walkie-provision badge {badgeId} --secret-file {file} --ca-file site-ca.pem --gateway https://<gateway>:8443 --ssid <wifi> --out <folder>");
    }
}
