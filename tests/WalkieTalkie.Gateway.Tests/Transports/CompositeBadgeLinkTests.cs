using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Tests.Transports;

public sealed class CompositeBadgeLinkTests
{
    private sealed class FakeTransport(string name) : IBadgeTransport
    {
        public string Name => name;
        public IUplinkSink? Sink { get; private set; }
        public List<(string Badge, string What)> Sent { get; } = [];

        public Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
        {
            Sink = sink;
            return Task.CompletedTask;
        }

        public Task SendControlAsync(string badgeId, byte[] payload)
        {
            Sent.Add((badgeId, "ctl"));
            return Task.CompletedTask;
        }

        public Task SendAudioAsync(string badgeId, byte[] payload)
        {
            Sent.Add((badgeId, "audio"));
            return Task.CompletedTask;
        }

        public Task StopAsync() => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Engine : IUplinkSink
    {
        public List<string> Heard { get; } = [];
        public void OnUplink(string badgeId, TopicKind kind, byte[] payload) => Heard.Add($"{badgeId} {kind}");
        public void OnConnected(string badgeId) => Heard.Add($"{badgeId} connected");
        public void OnDisconnected(string badgeId) => Heard.Add($"{badgeId} disconnected");
    }

    [Fact]
    public async Task Each_badge_is_sent_to_over_the_transport_it_last_connected_on_and_a_stranger_over_the_first()
    {
        var mqtt = new FakeTransport("mqtt");
        var web = new FakeTransport("web");
        var link = new CompositeBadgeLink([mqtt, web]);
        var engine = new Engine();
        await link.StartAsync(engine, default);

        web.Sink!.OnConnected("anna");
        mqtt.Sink!.OnUplink("ben", TopicKind.UpControl, [1]);
        await link.SendControlAsync("anna", [1]);
        await link.SendAudioAsync("ben", [2]);
        await link.SendControlAsync("cara", [3]);

        Assert.Equal([("anna", "ctl")], web.Sent);
        Assert.Equal([("ben", "audio"), ("cara", "ctl")], mqtt.Sent);
        Assert.Equal(["anna connected", "ben UpControl"], engine.Heard);

        // anna moves to MQTT: the web transport's late "disconnected" is not hers any more.
        mqtt.Sink.OnConnected("anna");
        web.Sink.OnDisconnected("anna");
        await link.SendControlAsync("anna", [4]);
        Assert.Equal(("anna", "ctl"), mqtt.Sent[^1]);
        Assert.DoesNotContain("anna disconnected", engine.Heard);
        mqtt.Sink.OnDisconnected("anna");
        Assert.Equal("anna disconnected", engine.Heard[^1]);
    }
}
