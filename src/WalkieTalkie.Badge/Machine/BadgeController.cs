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
        private readonly IAudioCapture _capture;
        private readonly IAudioPlayback _playback;
        private readonly IButtons _buttons;
        private readonly IIndicator _indicator;
        private readonly IPower _power;
        private readonly IMessageTransport _transport;
        private readonly IClock _clock;
        private readonly ISettingsStore _settings;
        private readonly BadgeOptions _options;
        private readonly IBadgeObserver _observer;

        private readonly string _badgeId;
        private readonly string _upAudio;
        private readonly string _upControl;
        private readonly string _upState;
        private readonly string _downFilter;

        private readonly ButtonTracker _talkButton;
        private readonly ButtonTracker _channelButton;
        private readonly JitterBuffer _jitter;
        private readonly UnplayedQueue _unplayed;
        private readonly ImaAdpcmEncoder _encoder = new ImaAdpcmEncoder();
        private readonly AudioFrame _frameIn = new AudioFrame();
        private readonly ControlMessageReader _controlReader = new ControlMessageReader();
        private readonly short[] _pcm;
        private readonly byte[] _frameOut;
        private readonly byte[] _controlOut = new byte[ControlMessage.MaxLength];
        private readonly byte[] _configBuffer = new byte[ControlMessage.MaxLength];
        private readonly uint[] _finishedBursts = new uint[8];
        private readonly int _blockBytes;

        private readonly FloorRequest _floorRequest = new FloorRequest();
        private readonly FloorRelease _floorRelease = new FloorRelease();
        private readonly SleepAnnouncement _sleep = new SleepAnnouncement();
        private readonly PlayRequest _playRequest = new PlayRequest();
        private readonly Played _played = new Played();
        private readonly PermitAccept _permitAccept = new PermitAccept();
        private readonly BadgeState _state = new BadgeState();
        private byte[] _willPayload;

        private Config _config = new Config();
        private int _selected;
        private BadgeMode _mode;
        private long _modeSince;
        private long _idleSince;
        private long _nextConnectAttempt;
        private long _nextBatteryCheck;
        private bool _lowBatteryTold;
        private WakeCause _wakeCause;
        private bool _talkWanted;
        private bool _checkInOnly;
        private long _pocketWakeAt;
        private int _finishedNext;

        public BadgeController(BadgeHardware hardware, BadgeOptions options, IBadgeObserver observer)
        {
            _capture = hardware.Capture;
            _playback = hardware.Playback;
            _buttons = hardware.Buttons;
            _indicator = hardware.Indicator;
            _power = hardware.Power;
            _transport = hardware.Transport;
            _clock = hardware.Clock;
            _settings = hardware.Settings;
            _options = options == null ? new BadgeOptions() : options;
            _observer = observer == null ? new NullObserver() : observer;

            _badgeId = _settings.BadgeId;
            _upAudio = Topics.UpAudio(_badgeId);
            _upControl = Topics.UpControl(_badgeId);
            _upState = Topics.UpState(_badgeId);
            _downFilter = Topics.DownFilter(_badgeId);

            _blockBytes = ImaAdpcm.BlockBytesFor(_options.SamplesPerBlock);
            var maxFrameBlockBytes = _options.MaxBlocksPerFrame * _blockBytes;
            _talkButton = new ButtonTracker(_options.LongPressMilliseconds);
            _channelButton = new ButtonTracker(_options.LongPressMilliseconds);
            // Received blocks are decoded only up to the badge's own block length: a gateway sends what it was configured with.
            _jitter = new JitterBuffer(_options.JitterSlots, maxFrameBlockBytes, _options.SamplesPerBlock, _options.JitterPrefill);
            _unplayed = new UnplayedQueue(_options.UnplayedCapacity);
            _pcm = new short[_options.SamplesPerBlock];
            _frameOut = new byte[AudioFrame.LengthFor(AudioFrame.MaxBlocks, _blockBytes)];
            var inboxBytes = AudioFrame.HeaderLength + maxFrameBlockBytes;
            Inbox = new MessageInbox(_badgeId, _options.InboxSlots, inboxBytes < ControlMessage.MaxLength ? ControlMessage.MaxLength : inboxBytes);
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
            get { return _config; }
        }

        /// <summary>The channel push-to-talk talks on, or -1 while the badge knows no channel.</summary>
        public int SelectedChannel
        {
            get { return _config.Channels.Length == 0 ? -1 : _config.Channels[_selected].Channel; }
        }

        /// <summary>The jitter buffer of the burst playing (or played last), with its counters.</summary>
        public JitterBuffer Jitter
        {
            get { return _jitter; }
        }

        public UnplayedQueue Unplayed
        {
            get { return _unplayed; }
        }

        /// <summary>Frames sent in the current or last talk burst, and in total.</summary>
        public int FramesSent { get; private set; }

        public int TotalFramesSent { get; private set; }

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
                    ApplyConfig(cached);
                }
            }

            _state.Status = BadgeStatus.Offline;
            _state.Firmware = _settings.Firmware == null ? string.Empty : _settings.Firmware;
            _willPayload = LastWill.ToBytes();
            _talkButton.Assume(false, now);
            _channelButton.Assume(_buttons.IsDown(ButtonId.Channel), now);
            _talkWanted = _wakeCause == WakeCause.Button;
            _checkInOnly = _wakeCause == WakeCause.Timer;
            _nextConnectAttempt = now;
            _nextBatteryCheck = now;
            _jitter.Begin(0, SampleRate.Narrowband);
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
            if (_mode != BadgeMode.Connecting && !_transport.IsConnected)
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
                        _observer.Event(BadgeEvent.GrantTimeout, _floorRequest.Channel, 0, (int)(now - _modeSince));
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
                    if (_options.PocketAfterMilliseconds > 0 && now - _modeSince >= _options.PocketAfterMilliseconds)
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
            _idleSince = now;
            _indicator.ShowLed(LedState.Idle);
            PublishState(BadgeStatus.Idle);
        }

        private void StepConnecting(long now)
        {
            if (now < _nextConnectAttempt)
            {
                return;
            }

            _state.Status = BadgeStatus.Offline;
            if (!_transport.Connect(_upState, _willPayload))
            {
                _nextConnectAttempt = now + _options.ReconnectDelayMilliseconds;
                return;
            }

            _transport.Subscribe(_downFilter);
            _observer.Event(BadgeEvent.Connected, (byte)SelectedChannelOrZero(), 0, (int)_wakeCause);
            EnterIdle(now);
            if (_talkWanted && _talkButton.IsDown)
            {
                RequestFloor(now, false);
            }

            _talkWanted = false;
        }

        private void StepIdle(long now)
        {
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

            if (_checkInOnly)
            {
                // Woken by the check-in timer and not touched since: straight back to pocket sleep, no standby between.
                if (now - _idleSince >= _options.CheckInAwakeMilliseconds)
                {
                    EnterPocket(now);
                }
            }
            else if (_options.StandbyAfterMilliseconds > 0 && now - _idleSince >= _options.StandbyAfterMilliseconds)
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
                _capture.Stop();
            }
            else if (mode == BadgeMode.Receiving)
            {
                // The gateway keeps the burst: ask for it again once back.
                _playback.Stop();
                _unplayed.Add(_jitter.BurstId, _receivingChannel);
                _requestedBurst = 0;
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

        private int RateCodeOf(byte channel)
        {
            var config = _config.Find(channel);
            return config == null ? SampleRate.Narrowband : config.RateCode;
        }

        private int BlocksPerFrame
        {
            get
            {
                int blocks = _config.BlocksPerFrame == 0 ? _options.DefaultBlocksPerFrame : _config.BlocksPerFrame;
                return blocks < 1 ? 1 : (blocks > AudioFrame.MaxBlocks ? AudioFrame.MaxBlocks : blocks);
            }
        }

        private void Publish(ControlMessage message)
        {
            var length = message.Write(_controlOut, 0, _controlOut.Length);
            if (length > 0)
            {
                _transport.Publish(_upControl, _controlOut, length, 1, false);
            }
        }

        private void PublishState(BadgeStatus status)
        {
            _state.Status = status;
            _state.Channel = (byte)SelectedChannelOrZero();
            var millivolts = _power.BatteryMillivolts;
            var percent = _power.BatteryPercent;
            _state.BatteryMillivolts = (ushort)(millivolts < 0 ? 0 : (millivolts > 65535 ? 65535 : millivolts));
            _state.BatteryPercent = percent < 0 || percent > 100 ? BadgeState.UnknownPercent : (byte)percent;
            var rssi = _transport.Rssi;
            // The message carries a signed byte that is never positive (0: unknown).
            _state.Rssi = (sbyte)(rssi > 0 ? 0 : (rssi < -128 ? -128 : rssi));
            var length = _state.Write(_controlOut, 0, _controlOut.Length);
            if (length > 0)
            {
                _transport.Publish(_upState, _controlOut, length, 1, true);
            }
        }

        private bool WasFinished(uint burstId)
        {
            for (var i = 0; i < _finishedBursts.Length; i++)
            {
                if (_finishedBursts[i] == burstId)
                {
                    return true;
                }
            }

            return false;
        }

        private void MarkFinished(uint burstId)
        {
            _finishedBursts[_finishedNext] = burstId;
            _finishedNext = (_finishedNext + 1) % _finishedBursts.Length;
        }
    }
}
