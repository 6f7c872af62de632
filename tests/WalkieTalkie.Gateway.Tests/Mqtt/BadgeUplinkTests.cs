using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// A logged-in badge's uplink taken from its connection before MQTTnet's receive loop (<see cref="IBadgeUplink"/>,
/// <see cref="BadgeConnection"/>): its QoS 0 publishes reach the gateway's uplink in order, on the receive loop's
/// thread, and not MQTTnet's interceptor; what MQTTnet must answer or remember (QoS 1, retained) still goes its way,
/// and so does a publish after a second without one, and what a connection reads once the badge logged in again.
/// </summary>
public sealed class BadgeUplinkTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_logged_in_badges_QoS_0_publishes_go_to_the_uplink_in_order_and_not_through_MQTTnet(bool tls, bool ownLoop)
    {
        await using var broker = await Broker.StartAsync(tls, ownLoop);
        using var badge = await broker.ConnectAsync("b1");

        for (var i = 0; i < 20; i++)
        {
            await badge.PublishBinaryAsync("up/b1/audio", [(byte)i, 1, 2, 3]);
            await Task.Delay(10); // each frame read by a read that waited, as a badge's frames 40 ms apart are
        }

        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count + broker.Intercepted.Count == 20));
        // All of them unless the run took over a second: then one went MQTTnet's way, as it should.
        Assert.InRange(broker.Taken.Count, 19, 20);
        var taken = broker.Taken.ToArray();
        Assert.All(taken, t => Assert.Equal(("b1", "up/b1/audio"), (t.Badge, t.Topic)));
        Assert.Equal(taken.Select(t => (int)t.Payload[0]).Order(), taken.Select(t => (int)t.Payload[0]));
        if (ownLoop)
        {
            // The first may be read by the pool thread that handled the login.
            Assert.True(taken.Count(t => t.Thread == "walkie receive") >= taken.Length - 1, string.Join(",", taken.Select(t => t.Thread)));
        }
    }

    [Fact]
    public async Task QoS_1_and_retained_publishes_still_go_through_MQTTnet_which_acknowledges_them()
    {
        await using var broker = await Broker.StartAsync(tls: false, ownLoop: true);
        using var badge = await broker.ConnectAsync("b1");

        var acknowledged = await badge.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("up/b1/control").WithPayload([1])
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await badge.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("up/b1/audio").WithPayload([2]).WithRetainFlag().Build());
        await badge.PublishBinaryAsync("up/b1/audio", [3]);

        Assert.True(acknowledged.IsSuccess);
        Assert.True(await Eventually.TrueAsync(() => broker.Intercepted.Count == 2 && broker.Taken.Count == 1));
        Assert.Equal(["up/b1/control", "up/b1/audio"], broker.Intercepted.Select(i => i.Topic));
        Assert.Equal(3, broker.Taken.Single().Payload[0]);
    }

    [Fact]
    public async Task After_a_second_without_one_a_publish_goes_through_MQTTnet_again()
    {
        await using var broker = await Broker.StartAsync(tls: false, ownLoop: true);
        using var badge = await broker.ConnectAsync("b1");

        await badge.PublishBinaryAsync("up/b1/audio", [1]);
        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count == 1));
        await Task.Delay(BadgeConnection.BrokerSeesUplinkEveryMs + 100);
        await badge.PublishBinaryAsync("up/b1/audio", [2]);
        await badge.PublishBinaryAsync("up/b1/audio", [3]);

        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count == 2 && broker.Intercepted.Count == 1));
        Assert.Equal(2, broker.Intercepted.Single().Payload[0]);
        Assert.Equal([1, 3], broker.Taken.Select(t => (int)t.Payload[0]));
    }

    [Fact]
    public async Task What_a_connection_reads_once_a_newer_one_of_the_same_badge_logged_in_goes_through_MQTTnet()
    {
        await using var broker = await Broker.StartAsync(tls: false, ownLoop: true);
        using var first = await broker.ConnectAsync("b1");
        await first.PublishBinaryAsync("up/b1/audio", [1]);
        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count == 1));

        // A second client logs in as the same badge under a client id of its own, so MQTTnet leaves the first open.
        using var second = await broker.ConnectAsync("b1-again", badgeId: "b1");
        await first.PublishBinaryAsync("up/b1/audio", [2]);
        await second.PublishBinaryAsync("up/b1/audio", [3]);

        Assert.True(await Eventually.TrueAsync(() => broker.Intercepted.Count == 1 && broker.Taken.Count == 2));
        Assert.Equal(("b1", 2), (broker.Intercepted.Single().Badge, (int)broker.Intercepted.Single().Payload[0]));
        Assert.Equal([1, 3], broker.Taken.Select(t => (int)t.Payload[0]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Frames_that_arrive_together_or_split_anywhere_are_all_taken_in_order(bool ownLoop)
    {
        await using var broker = await Broker.StartAsync(tls: false, ownLoop);
        await using var badge = await RawMqttClient.OpenAsync(broker.Port);
        Assert.Equal(0, await badge.ConnectAsync("b1", "b1", "secret"));
        var frames = Enumerable.Range(0, 30).SelectMany(i => RawMqttClient.Publish("up/b1/audio", [(byte)i, .. new byte[200]])).ToArray();

        // Ten frames in one write, then the rest a few bytes at a time (a packet's header split from its body, and its
        // length's two bytes from each other), as a slow or lossy link delivers them.
        var firstTen = frames.Length / 3;
        await badge.SendAsync(frames[..firstTen]);
        for (var at = firstTen; at < frames.Length; at += 7)
        {
            await badge.SendAsync(frames[at..Math.Min(at + 7, frames.Length)]);
        }

        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count + broker.Intercepted.Count == 30));
        Assert.Equal(Enumerable.Range(0, 30), broker.Taken.Concat(broker.Intercepted).Select(t => (int)t.Payload[0]).Order());
        Assert.Equal(broker.Taken.Select(t => (int)t.Payload[0]).Order(), broker.Taken.Select(t => (int)t.Payload[0]));
        Assert.All(broker.Taken, t => Assert.Equal(201, t.Payload.Length));
    }

    [Fact]
    public async Task An_MQTT_5_publish_with_properties_is_decoded_by_MQTTnet_and_still_taken()
    {
        await using var broker = await Broker.StartAsync(tls: false, ownLoop: true);
        using var badge = await broker.ConnectAsync("b1", version: MQTTnet.Formatter.MqttProtocolVersion.V500);

        await badge.PublishBinaryAsync("up/b1/audio", [1]);
        await badge.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("up/b1/audio").WithPayload([2]).WithContentType("audio/x-walkie").Build());
        await badge.PublishBinaryAsync("up/b1/audio", [3]);

        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count == 3));
        Assert.Equal([1, 2, 3], broker.Taken.Select(t => (int)t.Payload[0]));
        Assert.Empty(broker.Intercepted);
    }

    [Fact]
    public async Task A_logged_in_badge_announcing_a_packet_too_large_is_closed_and_refused_once()
    {
        await using var broker = await Broker.StartAsync(tls: false, ownLoop: true);
        await using var badge = await RawMqttClient.OpenAsync(broker.Port);
        Assert.Equal(0, await badge.ConnectAsync("b1", "b1", "secret"));
        await badge.SendAsync(RawMqttClient.Publish("up/b1/audio", [7]));
        Assert.True(await Eventually.TrueAsync(() => broker.Taken.Count == 1));

        await badge.TrySendAsync([.. RawMqttClient.PublishHeader(MqttLimits.MaxPacketBytes + 1), .. new byte[64]]);

        Assert.True(await badge.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(broker.Taken);
        Assert.Equal(1, broker.Log.Count("Refused an MQTT packet", $"{MqttLimits.MaxPacketBytes + 1} bytes", "badge b1"));
    }

    private sealed record Publish(string Badge, string Topic, byte[] Payload, string? Thread);

    /// <summary>MQTTnet's server on a <see cref="BadgeListener"/> whose uplink records what it takes.</summary>
    private sealed class Broker : IBadgeUplink, IAsyncDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("walkie-uplink-");
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;
        private readonly BadgeRefusals _refusals = new(Options.Create(new LimitOptions()), TimeProvider.System, NullLogger<BadgeRefusals>.Instance);
        private readonly MqttOptions _options;
        private readonly MqttServer _server;
        private readonly ConcurrentDictionary<string, string> _badgeOf = new();

        private Broker(bool tls, bool ownLoop)
        {
            _certificate = tls ? SiteCertificate.LoadOrCreate(Path.Combine(_directory.FullName, "site-cert.pfx"), "localhost") : null;
            _options = new MqttOptions { BindAddress = "127.0.0.1", Port = tls ? 0 : FreePort.Next(), TlsPort = tls ? FreePort.Next() : 0, OwnReceiveLoop = ownLoop };
            var listener = new BadgeListener(_options, new LimitOptions(), _certificate, _refusals, Log.CreateLogger("listener")) { Uplink = this };
            _server = new MqttServerFactory().CreateMqttServer(new MqttServerFactory().CreateServerOptionsBuilder().WithoutDefaultEndpoint().Build(),
                [listener], new MqttNetNullLogger());
            _server.ValidatingConnectionAsync += e =>
            {
                listener.Authenticated(e.ChannelAdapter, _badgeOf.GetValueOrDefault(e.ClientId, e.ClientId));
                return Task.CompletedTask;
            };
            _server.InterceptingPublishAsync += e =>
            {
                e.ProcessPublish = false;
                Intercepted.Enqueue(new Publish(_badgeOf.GetValueOrDefault(e.ClientId, e.ClientId), e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), Thread.CurrentThread.Name));
                return Task.CompletedTask;
            };
        }

        public ConcurrentQueue<Publish> Taken { get; } = new();

        public ListLoggerProvider Log { get; } = new();

        public ConcurrentQueue<Publish> Intercepted { get; } = new();

        public static async Task<Broker> StartAsync(bool tls, bool ownLoop)
        {
            var broker = new Broker(tls, ownLoop);
            await broker._server.StartAsync();
            return broker;
        }

        /// <summary>Connects MQTT client <paramref name="clientId"/>, which logs in as <paramref name="badgeId"/> (its own id if none).</summary>
        public async Task<IMqttClient> ConnectAsync(string clientId, string? badgeId = null, MQTTnet.Formatter.MqttProtocolVersion version = MQTTnet.Formatter.MqttProtocolVersion.V311)
        {
            _badgeOf[clientId] = badgeId ?? clientId;
            var badge = new MqttClientFactory().CreateMqttClient();
            var connect = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithProtocolVersion(version)
                .WithClientId(clientId).WithCredentials(clientId, "secret");
            if (_certificate is not null)
            {
                connect.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(_ => true));
            }

            await badge.ConnectAsync(connect.Build());
            return badge;
        }

        public void Take(string badgeId, string topic, ReadOnlySequence<byte> payload) =>
            Taken.Enqueue(new Publish(badgeId, topic, payload.ToArray(), Thread.CurrentThread.Name));

        public int Port => _certificate is null ? _options.Port : _options.TlsPort;

        public async ValueTask DisposeAsync()
        {
            await _server.StopAsync();
            _server.Dispose();
            _refusals.Dispose();
            _certificate?.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
