using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Input;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Badge.Playback;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// The badge: one state machine over the hardware interfaces, driven by one thread that calls <see cref="Step"/>
    /// again and again. A step reads the buttons, handles what waits in the inbox, and does at most one block of
    /// audio work (capture and encode one block, or decode and queue one block), so nothing it does takes longer
    /// than one block. The transport's receive thread only ever touches <see cref="Inbox"/>.
    /// </summary>
    public sealed partial class BadgeController
    {
        private readonly IButtons _buttons;
        private readonly IIndicator _indicator;
        private readonly IPower _power;
        private readonly IClock _clock;
        private readonly ISettingsStore _settings;
        private readonly BadgeOptions _options;
        private readonly IBadgeObserver _observer;

        private readonly GatewayLink _link;
        private readonly TalkSession _talk;
        private readonly ReceiveSession _receive;
        private readonly UnplayedRequests _unplayed;
        private readonly SleepPolicy _sleep;
        private readonly ActiveConfig _active;
        private readonly PermitOffers _permits;
        private readonly QuietMode _quiet;
        private readonly AccessPointReports _accessPoint;
        private readonly ButtonTracker _talkButton;
        private readonly ButtonTracker _channelButton;

        private readonly AudioFrame _frameIn = new AudioFrame();
        private readonly ControlMessageReader _controlReader = new ControlMessageReader();
        private readonly byte[] _configBuffer = new byte[ControlMessage.MaxLength];
        private readonly BadgeState _state = new BadgeState();
        private readonly FloorGranted _replyGrant = new FloorGranted();
        private byte[] _willPayload;

        private BadgeMode _mode;
        private long _modeSince;
        private long _nextConnectAttempt;
        private long _nextBatteryCheck;
        private bool _lowBatteryTold;
        private WakeCause _wakeCause;
        private bool _talkWanted;

        public BadgeController(BadgeHardware hardware, BadgeOptions options, IBadgeObserver observer)
        {
            _buttons = hardware.Buttons;
            _indicator = hardware.Indicator;
            _power = hardware.Power;
            _clock = hardware.Clock;
            _settings = hardware.Settings;
            _options = options == null ? new BadgeOptions() : options;
            _observer = observer == null ? new NullObserver() : observer;

            var badgeId = _settings.BadgeId;
            var blockBytes = ImaAdpcm.BlockBytesFor(_options.SamplesPerBlock);
            var maxFrameBlockBytes = _options.MaxBlocksPerFrame * blockBytes;
            _link = new GatewayLink(hardware.Transport, badgeId);
            _talk = new TalkSession(hardware.Capture, _link, _observer, _options.SamplesPerBlock);
            // Received blocks are decoded only up to the badge's own block length: a gateway sends what it was configured with.
            var jitter = new JitterBuffer(_options.JitterSlots, maxFrameBlockBytes, _options.SamplesPerBlock, _options.JitterPrefill);
            _receive = new ReceiveSession(hardware.Playback, _link, _observer, jitter, _options.ReceiveTimeoutMilliseconds,
                _options.UnderrunGuardMilliseconds, _options.LatencyTrimWindowMilliseconds);
            _unplayed = new UnplayedRequests(new UnplayedQueue(_options.UnplayedCapacity), _link, _observer, _options.PlayRequestTimeoutMilliseconds);
            _sleep = new SleepPolicy(_link, _options.StandbyAfterMilliseconds, _options.PocketAfterMilliseconds, _options.CheckInAwakeMilliseconds);
            _active = new ActiveConfig(_options.DefaultBlocksPerFrame, _options.DefaultMaxTalkSeconds);
            _permits = new PermitOffers(_link, _observer);
            _quiet = new QuietMode(_link);
            _accessPoint = new AccessPointReports(hardware.AccessPoint, _link);
            _talkButton = new ButtonTracker(_options.LongPressMilliseconds);
            _channelButton = new ButtonTracker(_options.LongPressMilliseconds);
            var inboxBytes = AudioFrame.HeaderLength + maxFrameBlockBytes;
            Inbox = new MessageInbox(badgeId, _options.InboxSlots, inboxBytes < ControlMessage.MaxLength ? ControlMessage.MaxLength : inboxBytes);
            _mode = BadgeMode.Connecting;
        }

        /// <summary>Where the transport delivers received messages, from any thread.</summary>
        public MessageInbox Inbox { get; private set; }

        public BadgeMode Mode
        {
            get { return _mode; }
        }

        /// <summary>The configuration in force (the cached one until the gateway sends another).</summary>
        public Config Config
        {
            get { return _active.Config; }
        }

        /// <summary>The channel push-to-talk talks on, or -1 while the badge knows no channel.</summary>
        public int SelectedChannel
        {
            get { return _active.SelectedChannel; }
        }

        /// <summary>The jitter buffer of the burst playing (or played last), with its counters.</summary>
        public JitterBuffer Jitter
        {
            get { return _receive.Jitter; }
        }

        /// <summary>Quiet hours and do-not-disturb as the gateway last said.</summary>
        public QuietMode Quiet
        {
            get { return _quiet; }
        }

        public UnplayedQueue Unplayed
        {
            get { return _unplayed.Queue; }
        }

        /// <summary>Frames sent in the current or last talk burst, and in total.</summary>
        public int FramesSent
        {
            get { return _talk.FramesSent; }
        }

        public int TotalFramesSent
        {
            get { return _talk.TotalFramesSent; }
        }

        /// <summary>
        /// (Re)starts the badge: loads the cached configuration, looks at why it woke, and starts connecting. A
        /// press of push-to-talk that woke it becomes a floor request as soon as the connection is up.
        /// </summary>
        public void Start()
        {
            Start(_power.WakeCause);
        }

        private void Start(WakeCause cause)
        {
            var now = _clock.Milliseconds;
            _wakeCause = cause;
            Inbox.Clear();
            var length = _settings.ReadConfig(_configBuffer);
            if (length > 0 && _controlReader.Read(_configBuffer, 0, length, ControlDirection.Downlink) == ProtocolError.None)
            {
                var cached = _controlReader.Message as Config;
                if (cached != null)
                {
                    _active.Apply(cached);
                }
            }

            _state.Status = BadgeStatus.Offline;
            _state.Firmware = _settings.Firmware == null ? string.Empty : _settings.Firmware;
            _willPayload = LastWill.ToBytes();
            _talkButton.Assume(false, now);
            _channelButton.Assume(_buttons.IsDown(ButtonId.Channel), now);
            _talkWanted = _wakeCause == WakeCause.Button;
            _sleep.Woke(_wakeCause);
            _nextConnectAttempt = now;
            _nextBatteryCheck = now;
            _receive.Reset();
            _indicator.ShowLed(LedState.Connecting);
            SetMode(BadgeMode.Connecting, now);
        }

        /// <summary>
        /// One turn of the badge. Returns true when it did audio work or changed state, false when it only looked
        /// around (a host without audio hardware to pace it may then wait a little).
        /// </summary>
        public bool Step()
        {
            var now = _clock.Milliseconds;
            var before = _mode;
            if (_mode == BadgeMode.Pocket)
            {
                return StepPocket(now);
            }

            ReadButtons(now);
            if (_mode != BadgeMode.Connecting && !_link.IsConnected)
            {
                LoseConnection(now);
            }

            DrainInbox(now);
            var worked = false;
            switch (_mode)
            {
                case BadgeMode.Connecting:
                    StepConnecting(now);
                    break;
                case BadgeMode.Idle:
                    StepIdle(now);
                    break;
                case BadgeMode.Requesting:
                    if (now - _modeSince >= _options.GrantTimeoutMilliseconds)
                    {
                        _observer.Event(BadgeEvent.GrantTimeout, _talk.RequestedChannel, 0, (int)(now - _modeSince));
                        Refuse(now);
                    }

                    break;
                case BadgeMode.Talking:
                    worked = StepTalking(now);
                    break;
                case BadgeMode.Receiving:
                    worked = StepReceiving(now);
                    break;
                case BadgeMode.Denied:
                case BadgeMode.Revoked:
                    if (now - _modeSince >= _options.ToneHoldMilliseconds && !_talkButton.IsDown)
                    {
                        EnterIdle(now);
                    }

                    break;
                case BadgeMode.Standby:
                    if (_sleep.IsPocketDue(now))
                    {
                        EnterPocket(now);
                    }

                    break;
            }

            return worked || _mode != before;
        }

        private void SetMode(BadgeMode mode, long now)
        {
            var from = _mode;
            _mode = mode;
            _modeSince = now;
            if (from != mode)
            {
                _observer.ModeChanged(from, mode);
            }
        }

        private void EnterIdle(long now)
        {
            SetMode(BadgeMode.Idle, now);
            _emergencyMicrophone = false;
            _sleep.KeepAwake(now);
            _indicator.ShowLed(IdleLed);
            PublishState(BadgeStatus.Idle);
        }

        private void StepConnecting(long now)
        {
            if (now < _nextConnectAttempt)
            {
                return;
            }

            _state.Status = BadgeStatus.Offline;
            if (!_link.Connect(_willPayload))
            {
                _nextConnectAttempt = now + _options.ReconnectDelayMilliseconds;
                return;
            }

            _observer.Event(BadgeEvent.Connected, (byte)SelectedChannelOrZero(), 0, (int)_wakeCause);
            _quiet.Clear();
            _accessPoint.Clear();
            EnterIdle(now);
            if (_talkWanted && _talkButton.IsDown)
            {
                RequestFloor(now, false);
            }

            _talkWanted = false;
        }

        private void StepIdle(long now)
        {
            // Six bytes compared with the firmware's cached scan result: cheap enough for every idle step.
            _accessPoint.Check();
            if (now >= _nextBatteryCheck)
            {
                _nextBatteryCheck = now + _options.BatteryCheckMilliseconds;
                var percent = _power.BatteryPercent;
                if (percent >= 0 && percent <= _options.LowBatteryPercent)
                {
                    if (!_lowBatteryTold)
                    {
                        _lowBatteryTold = true;
                        _indicator.PlayTone(Tone.LowBattery);
                        _observer.Event(BadgeEvent.LowBattery, 0, 0, percent);
                        // The gateway alerts the channel's admins from the level in badge-state.
                        PublishState(BadgeStatus.Idle);
                    }
                }
                else
                {
                    _lowBatteryTold = false;
                }
            }

            if (StepUnplayed(now))
            {
                return;
            }

            var next = _sleep.NextFromIdle(now);
            if (next == BadgeMode.Pocket)
            {
                EnterPocket(now);
            }
            else if (next == BadgeMode.Standby)
            {
                EnterStandby(now);
            }
        }

        private void LoseConnection(long now)
        {
            var mode = _mode;
            _observer.Event(BadgeEvent.ConnectionLost, (byte)SelectedChannelOrZero(), 0, (int)mode);
            if (mode == BadgeMode.Talking)
            {
                _talk.Abort();
            }
            else if (mode == BadgeMode.Receiving)
            {
                // The gateway keeps the burst: ask for it again once back.
                _receive.Abort();
                _unplayed.PutBack(_receive.BurstId, _receive.Channel);
            }
            else if (mode == BadgeMode.Standby)
            {
                _power.SetStandby(false);
            }

            if (mode == BadgeMode.Talking || mode == BadgeMode.Requesting || mode == BadgeMode.Receiving)
            {
                _indicator.PlayTone(Tone.ConnectionLost);
            }

            _indicator.ShowLed(LedState.Offline);
            _nextConnectAttempt = now + _options.ReconnectDelayMilliseconds;
            _talkWanted = false;
            SetMode(BadgeMode.Connecting, now);
        }

        private int SelectedChannelOrZero()
        {
            var channel = SelectedChannel;
            return channel < 0 ? 0 : channel;
        }

        private void PublishState(BadgeStatus status)
        {
            _state.Status = status;
            _state.Channel = (byte)SelectedChannelOrZero();
            var millivolts = _power.BatteryMillivolts;
            var percent = _power.BatteryPercent;
            _state.BatteryMillivolts = (ushort)(millivolts < 0 ? 0 : (millivolts > 65535 ? 65535 : millivolts));
            _state.BatteryPercent = percent < 0 || percent > 100 ? BadgeState.UnknownPercent : (byte)percent;
            var rssi = _link.Rssi;
            // The message carries a signed byte that is never positive (0: unknown).
            _state.Rssi = (sbyte)(rssi > 0 ? 0 : (rssi < -128 ? -128 : rssi));
            _link.PublishState(_state);
        }
    }
}
