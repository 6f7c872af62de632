using Microsoft.Extensions.Logging;
using MQTTnet;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// The gateway's downlink to an external broker: every message at QoS 1, handed to the MQTT client in the order asked,
/// so that a listener's audio and its <c>burst-start</c>/<c>burst-end</c> take one ordered, confirmed path through the
/// broker (RabbitMQ publishes a connection's QoS 0 and QoS 1 messages on two AMQP channels, which may reorder them or
/// lose the QoS 0 ones: docs/scale.md). Audio is not awaited to its PUBACK: at most <see cref="Window"/> publishes wait
/// for theirs, and a frame asked for while the window is full is dropped and counted (late audio is useless; the
/// engine's loop never waits for a broker); a frame's wait for its PUBACK is given up after <c>audioAckWait</c>, so that
/// a PUBACK that never comes does not hold a place for good. Control is awaited, as before, and never dropped.
/// </summary>
/// <remarks>
/// The order is the order of the calls to <c>publish</c>: each is made at once, on the caller's thread, and MQTTnet's
/// client writes its packets in the order its publishes were called (one first-in first-out lock per connection).
/// A failed publish (the connection lost, the PUBACK's wait given up) frees its place and is counted; it holds nothing
/// back and nothing after it changes place.
/// </remarks>
public sealed class DownlinkPublisher(Func<MqttApplicationMessage, CancellationToken, Task> publish, int window, TimeSpan audioAckWait, ILogger logger)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private int _inFlight;
    private long _dropped;
    private long _failed;
    private long _reportedAt = long.MinValue / 2;

    /// <summary>How many publishes may wait for their PUBACK before audio is dropped.</summary>
    public int Window => window;

    /// <summary>Publishes waiting for their PUBACK now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Audio frames dropped because the window was full, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Publishes that failed (not acknowledged), since the start.</summary>
    public long Failed => Interlocked.Read(ref _failed);

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
        _ = TrackAsync(Start(message, ackWait.Token), message.Topic, always: false, ackWait);
        return true;
    }

    /// <summary>Hands a control message to the client now, behind every frame fired before it, and waits for its PUBACK.</summary>
    public Task PublishAsync(MqttApplicationMessage message)
    {
        Interlocked.Increment(ref _inFlight);
        return TrackAsync(Start(message, CancellationToken.None), message.Topic, always: true, ackWait: null);
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

    // A failed control message is logged each time; failed audio only with the counts' report.
    private async Task TrackAsync(Task publishing, string topic, bool always, CancellationTokenSource? ackWait)
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
                if (Report() || always)
                {
                    logger.LogWarning("Publish to {Topic} failed: {Error}", topic, e.Message);
                }
            }
        }
        finally
        {
            ackWait?.Dispose();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // Under _gate. Says how many were dropped and failed at most once per ReportEvery, so that a broker that stops
    // acknowledging does not flood the log; true when it said so.
    private bool Report()
    {
        var now = Environment.TickCount64;
        if (now - _reportedAt < ReportEvery.TotalMilliseconds)
        {
            return false;
        }

        _reportedAt = now;
        logger.LogWarning("Downlink to the broker: {Dropped} audio frames dropped (window of {Window} unacknowledged publishes full) and {Failed} publishes failed since the start",
            _dropped, window, _failed);
        return true;
    }
}
