using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.WebWalkie.Browser;

namespace WalkieTalkie.WebWalkie.Walkie;

/// <summary>
/// The badge in the browser: the portable <see cref="BadgeController"/> (floor, capture and send, jitter buffer and
/// playback, unplayed queue, permits) over the browser's adapters. JavaScript steps it whenever something happens
/// (audio reports every 10 ms, socket messages, a 20 ms timer), so it keeps time like the badge's own loop.
/// </summary>
public sealed class WebBadge : IBadgeObserver
{
    private readonly BrowserButtons _buttons = new();
    private readonly BrowserClock _clock = new();
    private long _lastChange;
    private bool _stepping;

    /// <param name="deviceId">This browser's device id at the gateway.</param>
    /// <param name="socketUrl">Asks the gateway for a fresh socket address (a new ticket) at every connect.</param>
    /// <param name="listenDepth">A deeper jitter buffer than the badge's, or null for the badge's own (see <see cref="ListenDepth"/>).</param>
    internal WebBadge(string deviceId, Func<Task<string?>> socketUrl, ListenDepth? listenDepth = null)
    {
        DeviceId = deviceId;
        Transport = new BrowserSocketTransport(deviceId, socketUrl);
        Capture = new BrowserCapture();
        var options = new BadgeOptions
        {
            // A browser never sleeps: no standby, no pocket.
            StandbyAfterMilliseconds = 0,
            PocketAfterMilliseconds = 0,
            DefaultBlocksPerFrame = 1,
        };
        listenDepth?.ApplyTo(options);
        Controller = new BadgeController(new BadgeHardware
        {
            Capture = Capture,
            Playback = new BrowserPlayback(options.SamplesPerBlock, options.JitterPrefill),
            Buttons = _buttons,
            Indicator = new BrowserIndicator(state =>
            {
                Led = state;
                Changed?.Invoke();
            }),
            Power = new BrowserPower(),
            Transport = Transport,
            Clock = _clock,
            Settings = new BrowserSettings(deviceId),
        }, options, this);
        Transport.Inbox = Controller.Inbox;
        Transport.StateChanged += () => Changed?.Invoke();
    }

    public string DeviceId { get; }

    public BadgeController Controller { get; }

    internal BrowserSocketTransport Transport { get; }

    internal BrowserCapture Capture { get; }

    public LedState Led { get; private set; } = LedState.Connecting;

    public bool Connected => Transport.IsConnected;

    /// <summary>Push-to-talk is held (or toggled on).</summary>
    public bool Talking => _buttons.Talk;

    /// <summary>The channel of a permit offer waiting for this device's acceptance, or null.</summary>
    public byte? PendingOffer { get; private set; }

    /// <summary>The last floor denial's reason, for the page to say why.</summary>
    public DenyReason? LastDenial { get; private set; }

    /// <summary>Raised when something the page shows changed (mode, LED, connection, channel, offers, the queue).</summary>
    public event Action? Changed;

    public void Start()
    {
        BrowserEvents.Badge = this;
        Controller.Start();
        Tick();
    }

    public void Stop()
    {
        if (BrowserEvents.Badge == this)
        {
            BrowserEvents.Badge = null;
        }

        Transport.Disconnect();
    }

    /// <summary>Runs the badge until it has nothing left to do now.</summary>
    public void Tick()
    {
        if (_stepping)
        {
            return;
        }

        _stepping = true;
        try
        {
            for (var i = 0; i < 64 && Controller.Step(); i++)
            {
            }
        }
        finally
        {
            _stepping = false;
        }

        // A steady refresh while a burst plays or is spoken (counters, the queue).
        if (_clock.Milliseconds - _lastChange > 250 && Controller.Mode is BadgeMode.Receiving or BadgeMode.Talking)
        {
            _lastChange = _clock.Milliseconds;
            Changed?.Invoke();
        }
    }

    /// <summary>Push-to-talk down or up (the button, the space bar). The microphone opens on the first press.</summary>
    public void SetTalk(bool down)
    {
        if (_buttons.Talk == down)
        {
            return;
        }

        if (down)
        {
            LastDenial = null;
        }

        _buttons.Talk = down;
        Tick();
        Changed?.Invoke();
    }

    /// <summary>Selects a channel the way the badge does: short presses of its channel button until it is the one.</summary>
    public void SelectChannel(byte channel)
    {
        var channels = Controller.Config?.Channels;
        if (channels is null || !channels.Any(c => c.Channel == channel))
        {
            return;
        }

        for (var i = 0; i < channels.Length && Controller.SelectedChannel != channel; i++)
        {
            _buttons.Channel = true;
            Controller.Step();
            _buttons.Channel = false;
            Controller.Step();
        }

        Changed?.Invoke();
    }

    /// <summary>Accepts the pending permit offer: the badge's long press on its channel button.</summary>
    public async Task AcceptOfferAsync(int longPressMilliseconds = 1000)
    {
        _buttons.Channel = true;
        Tick();
        await Task.Delay(longPressMilliseconds + 100);
        Tick();
        _buttons.Channel = false;
        Tick();
        Changed?.Invoke();
    }

    /// <summary>Plays a recorded burst again: it joins the unplayed queue, which the badge plays when it is free.</summary>
    public void Replay(uint burstId, byte channel)
    {
        Controller.Unplayed.Add(burstId, channel);
        Tick();
        Changed?.Invoke();
    }

    public void ModeChanged(BadgeMode from, BadgeMode to)
    {
        _lastChange = _clock.Milliseconds;
        Changed?.Invoke();
    }

    public void Event(BadgeEvent kind, byte channel, uint burstId, int value)
    {
        if (kind == BadgeEvent.FloorDenied)
        {
            LastDenial = (DenyReason)value;
        }
        else if (kind == BadgeEvent.PermitOffered)
        {
            PendingOffer = channel;
        }
        else if (kind is BadgeEvent.PermitAccepted or BadgeEvent.PermitRevoked)
        {
            PendingOffer = null;
        }

        if (kind is BadgeEvent.ConfigApplied or BadgeEvent.PermitOffered or BadgeEvent.PermitAccepted or BadgeEvent.PermitRevoked
            or BadgeEvent.Queued or BadgeEvent.ChannelSelected or BadgeEvent.FloorDenied)
        {
            Changed?.Invoke();
        }
    }

    public void BlockCaptured(uint burstId, int sequence, int blockIndex)
    {
        // When the block entered the microphone goes to the tap, for the latency bench's browser-to-badge side.
        JsWalkie.TapSpoken(sequence, blockIndex, Capture.LastBlockSpokenAt);
    }

    public void BlockPlayed(uint burstId, int sequence, int blockIndex, PullResult result)
    {
        // Every block the speaker got goes to the playback tap: the latency bench reads when each received one sounded,
        // and a test tells a stall (a concealed block, a gap, a shortened block) from a bad signal.
        JsWalkie.TapBlock(result.ToString(), burstId, sequence, blockIndex);
    }
}
