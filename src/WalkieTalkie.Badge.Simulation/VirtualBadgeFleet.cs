using WalkieTalkie.Badge.Simulation.Hardware;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>
/// Runs virtual badges in-process against an MQTT broker. Add badges, <see cref="Start"/>, wait, <see cref="StopAsync"/>:
/// <code>
/// await using var fleet = new VirtualBadgeFleet();
/// fleet.Add(new VirtualBadgeSettings { Id = "kid-1", Port = 1883, MicWav = "hello.wav", Ptt = PttScript.Parse("0.5-3") });
/// fleet.Add(new VirtualBadgeSettings { Id = "mum", Port = 1883, OutputWav = "mum.wav" });
/// var summary = await fleet.RunAsync(TimeSpan.FromSeconds(5));
/// </code>
/// All badges share one thread that steps each in turn (a step does at most one block of audio work), and one
/// clock, so their timelines, output WAVs and latencies line up.
/// </summary>
public sealed class VirtualBadgeFleet : IAsyncDisposable
{
    private readonly List<VirtualBadge> _badges = [];
    private readonly LatencyBoard _board = new();
    private Thread? _loop;
    private volatile bool _stopping;
    private long _scriptOrigin = -1;
    private Exception? _failure;
    private FleetSummary? _summary;

    /// <summary>Every log line of every badge, as (badge id, line), called on the badges' thread: keep it quick.</summary>
    public Action<string, string>? Log { get; init; }

    /// <summary>The clock every badge runs on: milliseconds since the fleet was made.</summary>
    public RunClock Clock { get; } = new();

    public IReadOnlyList<VirtualBadge> Badges => _badges;

    /// <summary>
    /// When the push-to-talk scripts' time 0 is, on <see cref="Clock"/>: the moment every badge was first connected, or
    /// <see cref="ScriptStartTimeout"/> after the start, whichever comes first. Null until then.
    /// </summary>
    public long? ScriptOrigin => _scriptOrigin < 0 ? null : _scriptOrigin;

    /// <summary>How long the scripts wait for every badge to connect before they run anyway.</summary>
    public TimeSpan ScriptStartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When a badge of this fleet spoke a block (on <see cref="Clock"/>), for a listener outside the fleet (a browser) to
    /// measure its latency by.
    /// </summary>
    public bool TryGetSpoken(uint burst, int sequence, int block, out double atMilliseconds) =>
        _board.TryGetSpoken(burst, sequence, block, out atMilliseconds);

    /// <summary>
    /// Listeners that hear burst <paramref name="heardAs"/> hear the blocks a badge of this fleet spoke as burst
    /// <paramref name="spokenAs"/> (a gateway relaying a burst from another site gives it an id of its own), so their
    /// latency is measured too. Call it before the relayed burst's first block plays.
    /// </summary>
    public void Relayed(uint heardAs, uint spokenAs) => _board.Relayed(heardAs, spokenAs);

    /// <summary>Adds a badge (before <see cref="Start"/>). Reads its microphone WAV now.</summary>
    /// <exception cref="VirtualBadgeException">A setting is invalid or the WAV cannot be read.</exception>
    public VirtualBadge Add(VirtualBadgeSettings settings)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("badges are added before the fleet starts");
        }

        if (_badges.Any(b => b.Id == settings.Id))
        {
            throw new VirtualBadgeException($"badge {settings.Id} is in the fleet twice");
        }

        var badge = new VirtualBadge(settings, Clock, _board, () => ScriptOrigin, Log);
        _badges.Add(badge);
        return badge;
    }

    /// <summary>Starts every badge: each connects to its broker; the scripts run once all are connected (<see cref="ScriptOrigin"/>).</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the fleet has started already");
        }

        ThreadPoolFloor.RaiseFor(_badges.Count);
        _loop = new Thread(RunLoop) { IsBackground = true, Name = "virtual badges" };
        _loop.Start();
    }

    /// <summary>Waits <paramref name="duration"/> (or until cancelled); throws if a badge failed.</summary>
    public async Task WaitAsync(TimeSpan duration, CancellationToken cancellation = default)
    {
        try
        {
            await Task.Delay(duration, cancellation);
        }
        catch (OperationCanceledException)
        {
        }

        ThrowIfFailed();
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 20 ms) or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public async Task<bool> WaitUntilAsync(Func<VirtualBadgeFleet, bool> condition, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var deadline = Clock.Milliseconds + (long)timeout.TotalMilliseconds;
        while (!condition(this))
        {
            ThrowIfFailed();
            if (Clock.Milliseconds >= deadline || cancellation.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return true;
    }

    /// <summary>Stops every badge (announcing it offline), writes the output WAVs and returns what each did.</summary>
    public async Task<FleetSummary> StopAsync()
    {
        if (_summary is not null)
        {
            return _summary;
        }

        _stopping = true;
        _loop?.Join();
        var badges = await Task.WhenAll(_badges.Select(b => b.StopAsync()));
        _summary = new FleetSummary(badges, Clock.Milliseconds / 1000.0);
        ThrowIfFailed();
        return _summary;
    }

    /// <summary>Start, wait <paramref name="duration"/> (or until cancelled), stop.</summary>
    public async Task<FleetSummary> RunAsync(TimeSpan duration, CancellationToken cancellation = default)
    {
        Start();
        await WaitAsync(duration, cancellation);
        return await StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            try
            {
                await StopAsync();
            }
            catch (Exception e) when (e is VirtualBadgeException or IOException)
            {
                // Disposal after a failure: the failure was reported by the call that saw it.
            }
        }
    }

    private void RunLoop()
    {
        try
        {
            var started = Clock.Milliseconds;
            foreach (var badge in _badges)
            {
                badge.Start();
            }

            while (!_stopping)
            {
                var worked = false;
                var connected = true;
                foreach (var badge in _badges)
                {
                    worked |= badge.Step();
                    connected &= badge.Mode != Badge.Machine.BadgeMode.Connecting;
                }

                if (_scriptOrigin < 0 && (connected || Clock.Milliseconds - started >= ScriptStartTimeout.TotalMilliseconds))
                {
                    Interlocked.Exchange(ref _scriptOrigin, Clock.Milliseconds);
                }

                if (!worked)
                {
                    // Nothing due: a block is 20-40 ms, so a millisecond's nap costs no audio.
                    Thread.Sleep(1);
                }
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new VirtualBadgeException($"a virtual badge failed: {_failure.Message}", _failure);
        }
    }
}
