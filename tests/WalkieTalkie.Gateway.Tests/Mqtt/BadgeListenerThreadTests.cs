using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Server;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// Where a badge's packets are handled (<see cref="BadgeListener"/> with its own receive loop, plain and TLS): its
/// CONNECT (the secret check) on the thread pool, and once it is logged in its uplink (the interception that hands a
/// frame to the engine) on the receive loop's thread, with no pool work item per packet; with the loop switched off,
/// on the pool as before.
/// </summary>
public sealed class BadgeListenerThreadTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_logged_in_badges_uplink_is_handled_on_the_receive_loop_and_its_login_on_the_pool(bool tls, bool ownLoop)
    {
        var directory = Directory.CreateTempSubdirectory("walkie-listener-");
        using var certificate = tls ? SiteCertificate.LoadOrCreate(Path.Combine(directory.FullName, "site-cert.pfx"), "localhost") : null;
        var options = new MqttOptions { BindAddress = "127.0.0.1", Port = tls ? 0 : FreePort.Next(), TlsPort = tls ? FreePort.Next() : 0, OwnReceiveLoop = ownLoop };
        using var refusals = new BadgeRefusals(Options.Create(new LimitOptions()), TimeProvider.System, NullLogger<BadgeRefusals>.Instance);
        var listener = new BadgeListener(options, new LimitOptions(), certificate, refusals, NullLogger.Instance);
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder().WithoutDefaultEndpoint().Build();
        using var server = new MqttServerFactory().CreateMqttServer(serverOptions, [listener], new MqttNetNullLogger());
        Thread? validatedOn = null;
        var publishedOn = new ConcurrentQueue<Thread>();
        server.ValidatingConnectionAsync += e =>
        {
            validatedOn = Thread.CurrentThread;
            listener.Authenticated(e.ChannelAdapter, e.ClientId);
            return Task.CompletedTask;
        };
        server.InterceptingPublishAsync += e =>
        {
            publishedOn.Enqueue(Thread.CurrentThread);

            e.ProcessPublish = false;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        try
        {
            using var badge = new MqttClientFactory().CreateMqttClient();
            var connect = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", tls ? options.TlsPort : options.Port).WithClientId("b1").WithCredentials("b1", "secret");
            if (tls)
            {
                connect.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(_ => true));
            }

            await badge.ConnectAsync(connect.Build());
            for (var i = 0; i < 20; i++)
            {
                await badge.PublishBinaryAsync("up/b1/audio", new byte[80]);
                await Task.Delay(10); // each frame read by a read that waited, as a badge's frames 40 ms apart are
            }

            Assert.True(await Eventually.TrueAsync(() => publishedOn.Count == 20));
            Assert.True(validatedOn!.IsThreadPoolThread);
            var onLoop = publishedOn.Count(thread => thread.Name == "walkie receive");
            var names = string.Join(",", publishedOn.Select(thread => thread.Name));
            if (ownLoop)
            {
                // Most of them: the first may be read by the pool thread that handled the login, and MQTTnet's receive
                // loop now and then resumes on the pool after an await of its own that did not complete at once.
                Assert.True(onLoop >= 15, names);
            }
            else
            {
                Assert.All(publishedOn, thread => Assert.True(thread.IsThreadPoolThread));
            }
        }
        finally
        {
            await server.StopAsync();
            directory.Delete(recursive: true);
        }
    }
}
