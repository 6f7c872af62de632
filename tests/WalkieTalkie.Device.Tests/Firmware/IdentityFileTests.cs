using System.Text;
using WalkieTalkie.Device.Settings;
using Xunit;

namespace WalkieTalkie.Device.Tests.Firmware;

/// <summary>The badge's identity file as the firmware reads it.</summary>
public class IdentityFileTests
{
    private static BadgeIdentity? Parse(string text, out string? error)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        return IdentityFile.Parse(bytes, bytes.Length, out error);
    }

    [Fact]
    public void A_complete_file_with_comments_and_crlf_is_read()
    {
        var identity = Parse("# comment\r\nbadge=anna\r\nsecret = s3cr3t-XYZ\r\n\r\ngateway=https://walkie.example:8443/\r\nbroker-host=10.0.0.2\r\nbroker-port=8884\r\n", out var error);

        Assert.Null(error);
        Assert.NotNull(identity);
        Assert.Equal("anna", identity!.BadgeId);
        Assert.Equal("s3cr3t-XYZ", identity.Secret);
        Assert.Equal("https://walkie.example:8443", identity.GatewayUrl);
        Assert.Equal("https://walkie.example:8443/badge/v1/anna/config", identity.ConfigUrl);
        Assert.Equal("10.0.0.2", identity.BrokerHost);
        Assert.Equal(8884, identity.BrokerPort);
    }

    [Theory]
    [InlineData("secret=x\ngateway=https://g\n", "badge")]
    [InlineData("badge=Anna\nsecret=x\ngateway=https://g\n", "badge")]
    [InlineData("badge=anna\ngateway=https://g\n", "secret")]
    [InlineData("badge=anna\nsecret=x\n", "gateway")]
    [InlineData("badge=anna\nsecret=x\ngateway=http://g\n", "https")]
    [InlineData("badge=anna\nsecret=x\ngateway=https://g\nbroker-port=70000\n", "broker-port")]
    [InlineData("badge=anna\nsecret=x\ngateway=https://g\ncolour=red\n", "unknown key colour")]
    [InlineData("badge=anna\nsecret\ngateway=https://g\n", "key=value")]
    [InlineData("badge=anna\nsecret=caf\u00e9\ngateway=https://g\n", "ASCII")]
    [InlineData("", "empty")]
    public void A_broken_file_is_refused_with_its_reason(string text, string reason)
    {
        Assert.Null(Parse(text, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_file_longer_than_the_limit_is_refused()
    {
        var bytes = new byte[IdentityFile.MaxLength + 1];
        Assert.Null(IdentityFile.Parse(bytes, bytes.Length, out var error));
        Assert.NotNull(error);
    }
}
