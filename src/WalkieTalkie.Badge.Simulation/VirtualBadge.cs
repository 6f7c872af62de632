using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Hardware;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>
/// One badge of a <see cref="VirtualBadgeFleet"/>: the portable <see cref="BadgeController"/> wired to a WAV microphone,
/// a WAV speaker, scripted buttons and an MQTTnet transport. Made by <see cref="VirtualBadgeFleet.Add"/>.
/// </summary>
public sealed class VirtualBadge
{
    private readonly RunClock _clock;
    private readonly VirtualButtons _buttons;
    private readonly WavSpeaker _speaker;
    private readonly MqttTransport _transport;
    private readonly BadgeRecorder _recorder;
    private readonly SimulatedPower _power;
    private readonly StreamWriter? _logFile;
    private readonly Action<string, string>? _fleetLog;
    private readonly object _logGate = new();

    internal VirtualBadge(VirtualBadgeSettings settings, RunClock clock, LatencyBoard board, Func<long?> scriptOrigin, Action<string, string>? fleetLog)
    {
        if (!Topics.IsValidBadgeId(settings.Id))
        {
            throw new VirtualBadgeException($"badge id '{settings.Id}': 1 to 32 of a-z, 0-9 and '-', not starting with '-'");
        }

        if (settings.Channels.Count == 0 || settings.Channels.Count > Config.MaxChannels
            || settings.Channels.Select(c => c.Number).Distinct().Count() != settings.Channels.Count)
        {
            throw new VirtualBadgeException($"badge {settings.Id}: 1 to {Config.MaxChannels} channels, none twice");
        }

        Settings = settings;
        _clock = clock;
        _fleetLog = fleetLog;
        if (settings.LogFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.LogFile))!);
            _logFile = new StreamWriter(settings.LogFile, append: false) { AutoFlush = false };
        }

        var mic = settings.MicWav is null ? null : PcmClip.Load(settings.MicWav);
        if (mic is not null)
        {
            Log($"microphone: {settings.MicWav} ({mic.Source}, {mic.SampleRate} Hz, {mic.Seconds:0.00} s)");
        }

        var microphone = new WavMicrophone(clock, mic, settings.Channels.Select(c => c.SampleRate));
        _speaker = new WavSpeaker(clock, settings.Channels.Max(c => c.SampleRate), settings.OutputWav is not null, settings.SpeakerQueueMilliseconds);
        _buttons = new VirtualButtons(clock, settings.Ptt, scriptOrigin);
        _recorder = new BadgeRecorder(Log, clock, board, microphone, _speaker);
        BadgeController? controller = null;
        _transport = new MqttTransport(settings, () => controller!.Inbox, Log, _recorder.FrameArrived);
        _power = new SimulatedPower(Log);
        var hardware = new BadgeHardware
        {
            Capture = microphone,
            Playback = _speaker,
            Buttons = _buttons,
            Indicator = new LoggingIndicator(Log),
            Power = _power,
            Transport = _transport,
            Clock = clock,
            Settings = new MemorySettings(settings.Id, InitialConfig(settings).ToBytes()),
        };
        controller = new BadgeController(hardware, settings.Tunables ?? VirtualBadgeSettings.DefaultTunables(), _recorder);
        _recorder.Attach(controller);
        Controller = controller;
    }

    public string Id => Settings.Id;

    /// <summary>The simulated battery level in percent (100 until set): lets a test drain the battery.</summary>
    public int BatteryPercent
    {
        get => _power.BatteryPercent;
        set => _power.BatteryPercent = value;
    }

    public VirtualBadgeSettings Settings { get; }

    /// <summary>The badge's state now (read from another thread: a snapshot, for display).</summary>
    public BadgeMode Mode => Controller.Mode;

    /// <summary>Frames sent so far (a snapshot).</summary>
    public int FramesSent => Controller.TotalFramesSent;

    /// <summary>Bursts played so far, the one playing included (a snapshot).</summary>
    public IReadOnlyList<BurstReport> Bursts => _recorder.Bursts();

    internal BadgeController Controller { get; }

    /// <summary>Holds (true) or lets go of (false) push-to-talk, on top of the script: for the keyboard and for tests.</summary>
    public void SetTalk(bool down) => _buttons.SetTalk(down);

    /// <summary>A short press of the second button: the next channel.</summary>
    public void ClickChannel() => _buttons.ClickChannel();

    /// <summary>A long press of the second button: accepts a permit on offer.</summary>
    public void LongPressChannel() => _buttons.HoldChannel(1_200);

    /// <summary>Holds the second button a little past the SOS time: opens an emergency, or cancels the badge's own.</summary>
    public void HoldForSos() => _buttons.HoldChannel(Controller.SosHoldMilliseconds + 200);

    /// <summary>True while the badge's own emergency is open (a snapshot).</summary>
    public bool EmergencyOpen => Controller.EmergencyOpen;

    internal void Start() => Controller.Start();

    internal bool Step() => Controller.Step();

    internal async Task<BadgeSummary> StopAsync()
    {
        // Say goodbye as the last will would: the gateway must not think a stopped badge still listens.
        var offline = new BadgeState { Status = BadgeStatus.Offline, Channel = (byte)Math.Max(Controller.SelectedChannel, 0), Firmware = "virtual-1" };
        var bytes = offline.ToBytes();
        _transport.Publish(Topics.UpState(Id), bytes, bytes.Length, 1, true);
        await _transport.DisposeAsync();
        if (Settings.OutputWav is not null)
        {
            _speaker.Recording().Save(Settings.OutputWav);
            Log($"speaker output written to {Settings.OutputWav}");
        }

        var summary = Summary();
        if (_logFile is not null)
        {
            await _logFile.DisposeAsync();
        }

        return summary;
    }

    /// <summary>What the badge has done so far.</summary>
    public BadgeSummary Summary()
    {
        var bursts = _recorder.Bursts();
        return new BadgeSummary
        {
            BadgeId = Id,
            FinalMode = Controller.Mode,
            BurstsTalked = _recorder.BurstsTalked,
            FramesSent = Controller.TotalFramesSent,
            FramesReceived = bursts.Sum(b => b.FramesReceived),
            FramesLost = bursts.Sum(b => b.FramesLost),
            FramesLate = bursts.Sum(b => b.FramesLate),
            FramesDuplicate = bursts.Sum(b => b.FramesDuplicate),
            BlocksPlayed = bursts.Sum(b => b.BlocksPlayed),
            BlocksConcealed = bursts.Sum(b => b.BlocksConcealed),
            InboxDropped = Controller.Inbox.Dropped,
            Refusals = _recorder.Refusals,
            Bursts = bursts,
            OutputWav = Settings.OutputWav,
        };
    }

    private static Config InitialConfig(VirtualBadgeSettings settings) => new()
    {
        Version = 0,
        CheckInSeconds = 60,
        MaxTalkSeconds = 60,
        BlocksPerFrame = 2,
        Order = PlaybackOrder.InOrder,
        Channels = settings.Channels
            .Select(c => new ChannelConfig { Channel = c.Number, RateCode = c.RateCode, Permits = Permits.Known, Name = $"channel {c.Number}" })
            .ToArray(),
    };

    private void Log(string text)
    {
        var line = $"{_clock.PreciseMilliseconds / 1000.0,9:0.000}s {Id}: {text}";
        lock (_logGate)
        {
            _logFile?.WriteLine(line);
        }

        _fleetLog?.Invoke(Id, line);
    }
}
