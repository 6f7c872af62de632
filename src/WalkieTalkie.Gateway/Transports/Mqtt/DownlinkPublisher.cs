using Microsoft.Extensions.Logging;
using MQTTnet;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// The gateway's downlink to an external broker: every message at QoS 1, handed to the MQTT client in the order asked,
/// so that a listener's audio and its <c>burst-start</c>/<c>burst-end</c> take one ordered, confirmed path through the
/// broker (RabbitMQ publishes a connection's QoS 0 and QoS 1 messages on two AMQP channels, which may reorder them or
/// lose the QoS 0 ones: docs/scale.md). Nothing is awaited to its PUBACK by the caller (the engine's loop, which a broker
/// that stops acknowledging would otherwise hold, every channel with it): at most <see cref="Window"/> publishes wait for
/// theirs, and a frame asked for while the window is full is dropped and counted (late audio is useless); a frame's wait
/// for its PUBACK is given up after <c>audioAckWait</c>, so that a PUBACK that never comes does not hold a place for good.
/// Control is never dropped: it goes to the client even when the window is full, and one whose PUBACK has not come after
/// <c>controlAckWait</c> is counted (<see cref="Overdue"/>), gives its place back, and is left to the client, which keeps
/// waiting for its PUBACK until the connection ends.
/// </summary>
/// <remarks>
/// The order is the order of the calls to <c>publish</c>: each is made at once, on the caller's thread, and MQTTnet's
/// client writes its packets in the order its publishes were called (one first-in first-out lock per connection).
/// A failed publish (the connection lost, the PUBACK's wait given up) frees its place and is counted; it holds nothing
/// back and nothing after it changes place. A broker that stops acknowledging control is logged once when its first
/// control message is overdue or fails, and once when it acknowledges again; in between only the counts are logged, at
/// most every 5 s.
/// </remarks>
public sealed class DownlinkPublisher(Func<MqttApplicationMessage, CancellationToken, Task> publish, int window, TimeSpan audioAckWait,
    TimeSpan controlAckWait, ILogger logger)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private int _inFlight;
    private int _controlPending;
    private TaskCompletionSource? _controlIdle;
    private bool _outage;
    private long _dropped;
    private long _failed;
    private long _overdue;
    private long _reportedAt = long.MinValue / 2;

    /// <summary>How many publishes may wait for their PUBACK before audio is dropped.</summary>
    public int Window => window;

    /// <summary>Publishes waiting for their PUBACK now and holding a place in the window.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Control messages handed to the client whose PUBACK (or failure) has not come yet, overdue ones included.</summary>
    public int ControlPending => Volatile.Read(ref _controlPending);

    /// <summary>Audio frames dropped because the window was full, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Publishes that failed (not acknowledged), since the start.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Control messages whose PUBACK had not come after the control wait, since the start.</summary>
    public long Overdue => Interlocked.Read(ref _overdue);

    /// <summary>
    /// Hands an audio frame to the client now and returns without waiting for its PUBACK; false when the window is full
    /// (the frame dropped and counted).
    /// </summary>
    public bool Fire(MqttApplicationMessage message)
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _inFlight) >= window)
            {
                _dropped++;
                Report();
                return false;
            }

            Interlocked.Increment(ref _inFlight);
        }

        var ackWait = new CancellationTokenSource(audioAckWait);
        _ = TrackAudioAsync(Start(message, ackWait.Token), message.Topic, ackWait);
        return true;
    }

    /// <summary>
    /// Hands a control message to the client now, behind every message handed before it, and returns without waiting for
    /// its PUBACK; never dropped, whatever the window.
    /// </summary>
    public void Send(MqttApplicationMessage message)
    {
        Interlocked.Increment(ref _inFlight);
        lock (_gate)
        {
            _controlPending++;
        }

        // Not cancelled by the wait's end: a publish still waiting for the connection's send lock would then never be
        // written. The client keeps it until its PUBACK comes or the connection ends.
        _ = TrackControlAsync(Start(message, CancellationToken.None), message.Topic);
    }

    /// <summary>
    /// Waits until every control message handed over so far is acknowledged or failed, at most <paramref name="bound"/>
    /// (a graceful stop tells talkers and listeners that their bursts ended just before the connection closes).
    /// </summary>
    public async Task DrainAsync(TimeSpan bound)
    {
        Task idle;
        lock (_gate)
        {
            if (_controlPending == 0)
            {
                return;
            }

            _controlIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _controlIdle.Task;
        }

        try
        {
            await idle.WaitAsync(bound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Stopping with {Pending} control messages to the broker not acknowledged after {Bound}", ControlPending, bound);
        }
    }

    // The publish is started on the caller's thread, so that its place in the client's order is the call's; a client
    // that throws at once (not connected) fails that one publish only.
    private Task Start(MqttApplicationMessage message, CancellationToken ackWait)
    {
        try
        {
            return publish(message, ackWait);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    // Failed audio is logged only with the counts' report.
    private async Task TrackAudioAsync(Task publishing, string topic, CancellationTokenSource ackWait)
    {
        try
        {
            await publishing.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failed++;
                if (Report())
                {
                    logger.LogWarning("Publish to {Topic} failed: {Error}", topic, e.Message);
                }
            }
        }
        finally
        {
            ackWait.Dispose();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task TrackControlAsync(Task publishing, string topic)
    {
        var placed = true;
        try
        {
            try
            {
                await publishing.WaitAsync(controlAckWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The wait's end (or the publish's own exception, thrown again below). An overdue message's place goes
                // back to audio and the broker's silence is said once; the client goes on waiting for its PUBACK.
                if (!publishing.IsCompleted)
                {
                    Interlocked.Decrement(ref _inFlight);
                    placed = false;
                    lock (_gate)
                    {
                        _overdue++;
                        Trouble(topic, $"no PUBACK in {controlAckWait.TotalSeconds:0.#} s");
                    }
                }

                await publishing.ConfigureAwait(false);
            }

            lock (_gate)
            {
                if (_outage)
                {
                    _outage = false;
                    logger.LogInformation("The broker acknowledges control messages again ({Overdue} overdue and {Failed} publishes failed since the start)",
                        _overdue, _failed);
                }
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failed++;
                Trouble(topic, e.Message);
            }
        }
        finally
        {
            if (placed)
            {
                Interlocked.Decrement(ref _inFlight);
            }

            lock (_gate)
            {
                if (--_controlPending == 0 && _controlIdle is { } idle)
                {
                    _controlIdle = null;
                    idle.TrySetResult();
                }
            }
        }
    }

    // Under _gate. The first overdue or failed control message of an outage is logged; the rest only in the counts.
    private void Trouble(string topic, string error)
    {
        if (!_outage)
        {
            _outage = true;
            logger.LogWarning("Control message to {Topic} not acknowledged by the broker ({Error}): the engine goes on without waiting; " +
                "further ones are only counted until the broker acknowledges again", topic, error);
            return;
        }

        Report();
    }

    // Under _gate. Says how many were dropped, overdue and failed at most once per ReportEvery, so that a broker that
    // stops acknowledging does not flood the log; true when it said so.
    private bool Report()
    {
        var now = Environment.TickCount64;
        if (now - _reportedAt < ReportEvery.TotalMilliseconds)
        {
            return false;
        }

        _reportedAt = now;
        logger.LogWarning("Downlink to the broker: {Dropped} audio frames dropped (window of {Window} unacknowledged publishes full), " +
            "{Overdue} control messages not acknowledged in {Wait} s and {Failed} publishes failed since the start",
            _dropped, window, _overdue, controlAckWait.TotalSeconds, _failed);
        return true;
    }
}
