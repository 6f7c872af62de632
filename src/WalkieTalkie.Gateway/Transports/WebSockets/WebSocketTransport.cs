using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Gateway.Transports.WebSockets;

/// <summary>
/// The web walkie's transport: each browser (a web device of the registry) on one WebSocket, carrying the protocol's own
/// frames and control messages in a <see cref="WireEnvelope"/>. The endpoint authenticates the upgrade and hands the
/// socket over with the device it belongs to (<see cref="RunAsync"/>); from then on the rules are the MQTT transport's:
/// only uplink kinds, the sizes of <see cref="TopicPolicy"/>, the <see cref="FloodGuard"/>, every refusal logged once per
/// device and interval. A device that connects again takes its old connection over.
/// </summary>
public sealed class WebSocketTransport(FloodGuard flood, WebSocketLimits limits, TimeProvider time, ILogger<WebSocketTransport> logger)
    : IBadgeTransport
{
    private readonly ConcurrentDictionary<string, WebSocketSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WebSocketSession, Task> _sending = new();
    private readonly LogLimiter _limiter = new(time, TimeSpan.FromSeconds(10));
    private readonly CancellationTokenSource _stopping = new();
    private IUplinkSink? _sink;

    public string Name => "websocket";

    /// <summary>Browsers connected now.</summary>
    public int Connected => _sessions.Count;

    /// <summary>Audio frames given up so far for the device's current connection (0 when not connected).</summary>
    public long AudioDropped(string deviceId) => _sessions.TryGetValue(deviceId, out var session) ? session.AudioDropped : 0;

    public Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        return Task.CompletedTask;
    }

    public Task SendControlAsync(string badgeId, byte[] payload)
    {
        if (_sessions.TryGetValue(badgeId, out var session) && !session.EnqueueControl(payload))
        {
            Warn("control:" + badgeId, "Closed the web walkie of device {Device}: {Limit} control messages waiting, it does not read", badgeId, limits.MaxQueuedControl);
            session.Close();
        }

        return Task.CompletedTask;
    }

    public Task SendAudioAsync(string badgeId, byte[] payload)
    {
        if (_sessions.TryGetValue(badgeId, out var session) && !session.EnqueueAudio(payload))
        {
            Warn("slow:" + badgeId, "Dropping audio to the web walkie of device {Device}: {Limit} frames waiting (dropped {Dropped} so far)",
                badgeId, limits.MaxQueuedAudioFrames, session.AudioDropped);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Serves an accepted, authenticated WebSocket as device <paramref name="deviceId"/> until it closes, the device
    /// connects again elsewhere, or the gateway stops.
    /// </summary>
    public async Task RunAsync(string deviceId, WebSocket socket, CancellationToken requestAborted)
    {
        var sink = _sink ?? throw new InvalidOperationException("the transport has not started");
        var session = new WebSocketSession(deviceId, socket, limits);
        WebSocketSession? previous = null;
        _sessions.AddOrUpdate(deviceId, session, (_, old) =>
        {
            previous = old;
            return session;
        });
        if (previous is not null)
        {
            logger.LogInformation("Web walkie of device {Device} connected again: the previous connection is closed", deviceId);
            previous.Close();
        }

        sink.OnConnected(deviceId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, session.Closed, _stopping.Token);
        var sending = session.SendLoopAsync();
        _sending[session] = sending;
        try
        {
            await ReceiveLoopAsync(session, sink, linked.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            session.Close();
            await sending;
            _sending.TryRemove(session, out _);
            if (_sessions.TryRemove(new KeyValuePair<string, WebSocketSession>(deviceId, session)))
            {
                sink.OnDisconnected(deviceId);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
                }
                catch (Exception e) when (e is WebSocketException or TimeoutException or ObjectDisposedException)
                {
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(WebSocketSession session, IUplinkSink sink, CancellationToken cancellationToken)
    {
        var id = session.DeviceId;
        var buffer = new byte[WireEnvelope.MaxLength];
        while (true)
        {
            var length = 0;
            var oversized = false;
            ValueWebSocketReceiveResult result;
            do
            {
                // Past the limit the rest of the message is read into the same buffer and thrown away.
                var room = oversized ? buffer.AsMemory() : buffer.AsMemory(length);
                if (room.Length == 0)
                {
                    oversized = true;
                    room = buffer.AsMemory();
                }

                result = await session.Socket.ReceiveAsync(room, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (!oversized)
                {
                    length += result.Count;
                }
            }
            while (!result.EndOfMessage);

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                Warn("text:" + id, "Dropped a text message from the web walkie of device {Device}: only binary envelopes are spoken", id);
                continue;
            }

            if (oversized)
            {
                Warn("size:" + id, "Dropped a message from the web walkie of device {Device}: longer than {Limit} bytes", id, WireEnvelope.MaxLength);
                continue;
            }

            var error = WireEnvelope.Read(buffer, length, uplink: true, out var kind);
            if (error != ProtocolError.None)
            {
                Warn("envelope:" + id + ":" + error + ":" + (length > 0 ? buffer[0] : -1), "Dropped a message from the web walkie of device {Device}: {Error} envelope (kind byte {Kind}, {Length} bytes)",
                    id, error, length > 0 ? buffer[0] : -1, length);
                continue;
            }

            if (!flood.Allow(id, kind))
            {
                continue;
            }

            sink.OnUplink(id, kind, buffer.AsSpan(WireEnvelope.HeaderLength, length - WireEnvelope.HeaderLength).ToArray());
        }
    }

    private void Warn(string key, string message, params object?[] args)
    {
        if (_limiter.ShouldLog(key))
        {
#pragma warning disable CA2254 // each caller passes a constant template
            logger.LogWarning(message, args);
#pragma warning restore CA2254
        }
    }

    /// <summary>Lets each browser's queue go out (the engine has just ended every burst), then closes them all.</summary>
    public async Task StopAsync()
    {
        await Task.WhenAll(_sessions.Values.Select(s => s.FinishAsync(_sending.GetValueOrDefault(s) ?? Task.CompletedTask, TimeSpan.FromSeconds(1))));
        _stopping.Cancel();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
