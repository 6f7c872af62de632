using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Device.Settings;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Transports.Mqtt;
using Xunit;

namespace WalkieTalkie.Device.Tests.Tools;

/// <summary>
/// Out of the box: a gateway run with its defaults (<c>walkie run</c>: TLS only, the site certificate made on first
/// run) and a badge provisioned with the defaults (<c>walkie-provision badge</c>, and the firmware's settings generated
/// from nf.settings.json) meet. The only change from the defaults is the port numbers, free ones, because other
/// gateways may run on this machine: the badge's "network" here maps the default ports onto them.
/// </summary>
public sealed class DefaultSiteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-default-site-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public async Task A_badge_provisioned_with_the_defaults_connects_to_a_gateway_run_with_the_defaults()
    {
        // What the firmware was generated with.
        var site = File.ReadAllText(RepositoryFiles.PathOf("src/WalkieTalkie.Device/Settings/SiteSettings.g.cs"));
        var brokerHost = Constant(site, "BrokerHost").Trim('"');
        var brokerPort = int.Parse(Constant(site, "BrokerPort"));
        Assert.Equal("true", Constant(site, "BrokerTls"));
        Assert.Equal("true", Constant(site, "ValidateServerCertificate"));

        // What the gateway runs with when nothing is said: the same port, TLS only, a certificate for the same name.
        var data = Path.Combine(_folder, "data");
        var defaults = WalkieConfiguration.Build([], data);
        var mqtt = defaults.GetSection("Mqtt").Get<MqttOptions>() ?? new MqttOptions();
        var http = defaults.GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        Assert.False(mqtt.IsExternal);
        Assert.Equal((0, brokerPort, brokerHost), (mqtt.Port, mqtt.TlsPort, mqtt.CertificateHost));
        Assert.Equal(0, http.Port);
        Assert.NotEqual(0, http.TlsPort);

        var mqttPort = FreePort();
        var httpPort = FreePort();
        var output = new ConcurrentQueue<string>();
        using var gateway = Start(Walkie("run", "--data", data, $"--Mqtt:TlsPort={mqttPort}", $"--Http:TlsPort={httpPort}"), output);
        try
        {
            Assert.True(await ListeningAsync(mqttPort), string.Join("\n", output));

            // Provisioned as the README says: credentials and certificate from the gateway's CLI, nothing overridden.
            var package = Path.Combine(_folder, "kid-1");
            using (var provision = Start(Provision("badge", "kid-1", "--ssid", "home", "--gateway", $"https://{brokerHost}:{http.TlsPort}", "--out", package,
                       "--gateway-cli", "dotnet", "--gateway-cli-arg", "exec", "--gateway-cli-arg", Dll("walkie.dll"),
                       "--gateway-cli-arg", "--data", "--gateway-cli-arg", data), output))
            {
                await provision.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
                Assert.True(provision.ExitCode == 0, string.Join("\n", output));
            }

            var identityBytes = File.ReadAllBytes(Path.Combine(package, "badge.cfg"));
            var identity = IdentityFile.Parse(identityBytes, identityBytes.Length, out var error);
            Assert.Null(error);
            Assert.Null(identity.BrokerHost);
            Assert.Equal(0, identity.BrokerPort);
            using var anchor = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(package, "ca.pem")));

            // The badge dials the site's broker host and port, checks the certificate against its ca.pem and the name
            // it dialled; the network takes it to this gateway.
            await using var fleet = new VirtualBadgeFleet();
            var badge = fleet.Add(new VirtualBadgeSettings
            {
                Id = identity.BadgeId,
                Password = identity.Secret,
                Host = IPAddress.Loopback.ToString(),
                Port = mqttPort, // the site's broker port (checked equal to the gateway's default above), on this machine
                ServerName = brokerHost,
                TrustAnchor = anchor,
            });
            fleet.Start();
            Assert.True(await fleet.WaitUntilAsync(_ => badge.Mode == BadgeMode.Idle && output.Any(l => l.Contains("Badge kid-1 is online")),
                TimeSpan.FromSeconds(60)), string.Join("\n", output));

            // And its configuration over HTTPS, from the address provisioning wrote, as the firmware fetches it.
            using var client = SiteClient(anchor, httpPort);
            using var request = new HttpRequestMessage(HttpMethod.Get, identity.ConfigUrl);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.ASCII.GetBytes(identity.BadgeId + ":" + identity.Secret)));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    private static string Constant(string source, string name)
    {
        var match = Regex.Match(source, $@"public const \w+ {name} = ([^;]+);");
        Assert.True(match.Success, name + " is not in SiteSettings.g.cs");
        return match.Groups[1].Value.Trim();
    }

    /// <summary>An HTTPS client that reaches <c>{broker host}:{default port}</c> at this gateway and trusts only the site certificate.</summary>
    private static HttpClient SiteClient(X509Certificate2 anchor, int httpPort)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, httpPort), cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(anchor);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private static string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name);

    private static ProcessStartInfo Walkie(params string[] arguments) => Dotnet(Dll("walkie.dll"), arguments);

    private static ProcessStartInfo Provision(params string[] arguments)
    {
        var info = Dotnet(Dll("walkie-provision.dll"), arguments);
        info.Environment["WALKIE_WIFI_PASSWORD"] = "correct horse battery";
        return info;
    }

    private static ProcessStartInfo Dotnet(string dll, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static Process Start(ProcessStartInfo info, ConcurrentQueue<string> output)
    {
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }
}
