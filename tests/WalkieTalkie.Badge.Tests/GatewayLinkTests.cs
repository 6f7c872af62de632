using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The badge's topics and delivery settings, driven directly over a fake transport.</summary>
public class GatewayLinkTests
{
    private readonly FakeTransport _transport = new();
    private readonly GatewayLink _link;

    public GatewayLinkTests()
    {
        _link = new GatewayLink(_transport, "kid-1");
    }

    [Fact]
    public void Connecting_leaves_the_will_on_the_state_topic_and_subscribes_to_the_downlink()
    {
        byte[] will = [1, 2, 3];

        Assert.True(_link.Connect(will));

        Assert.Equal("wt/v1/kid-1/up/state", _transport.WillTopic);
        Assert.Same(will, _transport.WillPayload);
        Assert.Equal(["wt/v1/kid-1/down/#"], _transport.Subscriptions);
        Assert.True(_link.IsConnected);
    }

    [Fact]
    public void A_refused_connection_subscribes_to_nothing()
    {
        _transport.Reachable = false;

        Assert.False(_link.Connect([1]));

        Assert.Empty(_transport.Subscriptions);
        Assert.False(_link.IsConnected);
    }

    [Fact]
    public void Control_messages_go_at_least_once_state_retained_audio_at_most_once()
    {
        _link.Connect([1]);
        _link.PublishControl(new PlayRequest { BurstId = 5 });
        _link.PublishState(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, Firmware = "x" });
        _link.PublishAudio([9, 9, 9, 9], 3);

        Assert.Equal(
            [("wt/v1/kid-1/up/ctl", (byte)1, false), ("wt/v1/kid-1/up/state", (byte)1, true), ("wt/v1/kid-1/up/audio", (byte)0, false)],
            _transport.Published.Select(p => (p.Topic, p.Qos, p.Retain)));
        Assert.Equal(5u, _transport.Control<PlayRequest>().Single().BurstId);
        Assert.Equal(BadgeStatus.Idle, _transport.Control<BadgeState>().Single().Status);
        Assert.Equal([9, 9, 9], _transport.AudioFrames().Single());
    }

    [Fact]
    public void Rssi_and_disconnect_pass_through_to_the_transport()
    {
        _link.Connect([1]);
        _transport.Rssi = -61;

        Assert.Equal(-61, _link.Rssi);
        _link.Disconnect();
        Assert.False(_transport.IsConnected);
    }
}
