using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>A badge on fake hardware, with helpers to move time, press buttons and speak as the gateway.</summary>
public sealed class BadgeRig
{
    public FakeClock Clock { get; } = new();
    public FakeButtons Buttons { get; } = new();
    public FakeIndicator Indicator { get; } = new();
    public FakePower Power { get; } = new();
    public FakeSettings Settings { get; } = new();
    public FakeTransport Transport { get; } = new();
    public FakeCapture Capture { get; }
    public FakePlayback Playback { get; }
    public RecordingObserver Observer { get; } = new();
    public BadgeController Badge { get; }

    /// <summary>The Wi-Fi access point the badge is on; unknown until a test sets it.</summary>
    public FakeAccessPoint AccessPoint { get; } = new();

    public BadgeRig(BadgeOptions? options = null, Config? config = null, bool observe = true)
    {
        Capture = new FakeCapture(Clock);
        Playback = new FakePlayback(Clock);
        Settings.CachedConfig = (config ?? DefaultConfig()).ToBytes();
        var hardware = new BadgeHardware
        {
            Capture = Capture, Playback = Playback, Buttons = Buttons, Indicator = Indicator, Power = Power,
            Transport = Transport, Clock = Clock, Settings = Settings, AccessPoint = AccessPoint,
        };
        Badge = new BadgeController(hardware, options ?? new BadgeOptions(), observe ? Observer : null);
    }

    public static Config DefaultConfig(PlaybackOrder order = PlaybackOrder.InOrder, uint version = 1) => new()
    {
        Version = version, CheckInSeconds = 60, MaxTalkSeconds = 30, BlocksPerFrame = 2, Order = order,
        Channels =
        [
            new ChannelConfig { Channel = 1, RateCode = 0, Permits = Permits.Known, Name = "family" },
            new ChannelConfig { Channel = 2, RateCode = 1, Permits = Permits.Known, Name = "school" },
        ],
    };

    public BadgeMode Mode => Badge.Mode;

    /// <summary>Starts the badge and lets it connect.</summary>
    public BadgeRig Started()
    {
        Badge.Start();
        Step();
        Assert.Equal(BadgeMode.Idle, Mode);
        return this;
    }

    public void Step() => Badge.Step();

    /// <summary>Moves time forward one millisecond at a time, stepping at every millisecond.</summary>
    public void Run(int milliseconds)
    {
        for (var i = 0; i < milliseconds; i++)
        {
            Clock.Advance(1);
            Badge.Step();
        }
    }

    public void Send(ControlMessage message)
    {
        var bytes = message.ToBytes();
        Assert.True(Badge.Inbox.Post(Topics.DownControl(Settings.BadgeId), bytes, 0, bytes.Length));
    }

    public void SendFrame(byte[] frame) => Assert.True(Badge.Inbox.Post(Topics.DownAudio(Settings.BadgeId), frame, 0, frame.Length));

    /// <summary>Presses push-to-talk and answers the request with a grant.</summary>
    public uint PressAndGrant(uint burstId = 77, ushort maxTalkSeconds = 30)
    {
        Buttons.Talk = true;
        Run(1);
        Assert.Equal(BadgeMode.Requesting, Mode);
        var request = Transport.Control<FloorRequest>().Last();
        Send(new FloorGranted { Channel = request.Channel, BurstId = burstId, MaxTalkSeconds = maxTalkSeconds });
        Run(1);
        Assert.Equal(BadgeMode.Talking, Mode);
        return burstId;
    }
}
