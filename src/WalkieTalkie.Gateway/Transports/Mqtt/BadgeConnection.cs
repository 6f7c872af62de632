using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// One connection as MQTTnet's server sees it (its channel adapter), with a second way in: an audio frame written
/// straight to the socket as a QoS 0 PUBLISH, from the sender's thread, with no packet object, no queue item and no
/// wake-up of the session's sender. MQTTnet's packets and these frames take turns under one send lock, so neither
/// splits the other. Order with what went through the session's queue is kept by counting: a route says when it hands
/// the queue a message (<see cref="NoteQueued"/>), the count falls when MQTTnet writes a PUBLISH on one of the badge's
/// topics (MQTTnet's packet keeps the message's topic string, which only a route's messages share), and a frame is
/// written directly only while the count is zero; otherwise it goes through the queue behind the rest.
/// On a plain connection (<paramref name="socket"/>, non-blocking) a frame is one <c>send</c> on the socket: no stream,
/// task or cancellation registration between the frame and the kernel. When the socket's buffer is full nothing is
/// written and the frame is queued as any other, so nothing blocks; when it takes part of the frame the rest goes the
/// stream's way, under the send lock, so nothing gets in between. A TLS connection (no socket here) writes through its
/// stream, which encrypts.
/// <para>
/// And a shorter way in: once the badge has logged in, a QoS 0 PUBLISH it sends goes to the gateway's
/// <see cref="IBadgeUplink"/> from here, on the thread that read it, instead of back to MQTTnet's receive loop, which
/// starts every packet with <c>Task.Yield</c> (a thread-pool work item, and the extra worker the pool wakes for it)
/// only to hand an audio frame to the same interceptor. Everything else (QoS 1 and 2, retained, topic aliases, PINGREQ,
/// SUBSCRIBE, DISCONNECT) goes to MQTTnet as before, and so does one PUBLISH a second at least, so that MQTTnet's own
/// per-client bookkeeping of received packets never goes stale whatever a future version reads from it, and everything
/// a connection reads once a newer one of the same badge has logged in (<see cref="TakenOver"/>): MQTTnet drops it.
/// With a <paramref name="reader"/> (every connection of <see cref="BadgeListener"/>) the connection is read by the
/// gateway from login on, not by MQTTnet's adapter: one read per arrival instead of three or four per packet, and no
/// packet object, topic string or body array per audio frame (<see cref="BadgePacketReader"/>); what goes to MQTTnet is
/// decoded by its own decoder.
/// </para>
/// </summary>
public sealed class BadgeConnection(MqttChannelAdapter inner, WholePacketChannel channel, Socket? socket = null, BadgePacketReader? reader = null)
    : IMqttChannelAdapter
{
    private static int s_connections;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private byte[] _frame = new byte[256];
    private int _queued;
    private int _withWriter;
    private string? _audioTopic;
    private string? _controlTopic;
    private byte[] _audioTopicBytes = [];
    private IBadgeUplink? _uplink;
    private string? _badgeId;
    private long _handedToBrokerAt;
    private volatile bool _takenOver;

    /// <summary>How long the uplink may bypass MQTTnet before a PUBLISH goes its way again (milliseconds).</summary>
    public const int BrokerSeesUplinkEveryMs = 1000;

    /// <summary>This connection's number in the process: which writer owns it (<see cref="ConnectionWriters{T}"/>).</summary>
    public int Number { get; } = Interlocked.Increment(ref s_connections);

    /// <summary>
    /// Messages for this connection handed to its writer and not yet written or queued there: while there are any, a
    /// message for the badge goes to the writer too, behind them.
    /// </summary>
    public int WithWriter => Volatile.Read(ref _withWriter);

    /// <summary>The badge's downlink audio topic, made once (null until the badge has logged in).</summary>
    public string? AudioTopic => _audioTopic;

    /// <summary>The badge's downlink control topic, made once (null until the badge has logged in).</summary>
    public string? ControlTopic => _controlTopic;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public long BytesSent => inner.BytesSent;

    public long BytesReceived => inner.BytesReceived + (reader?.BytesRead ?? 0);

    /// <summary>
    /// The badge this connection logged in as: its downlink topics, made once for the connection's life, and where its
    /// uplink goes from the next packet on (<paramref name="uplink"/>; null: all of it to MQTTnet). Called while the
    /// broker validates the CONNECT, so every later read is MQTTnet's receive loop's, after the client's connected event.
    /// </summary>
    public void LoggedIn(string badgeId, IBadgeUplink? uplink = null)
    {
        _audioTopic = Topics.DownAudio(badgeId);
        _controlTopic = Topics.DownControl(badgeId);
        _audioTopicBytes = System.Text.Encoding.UTF8.GetBytes(_audioTopic);
        _badgeId = badgeId;
        _handedToBrokerAt = Environment.TickCount64;
        Volatile.Write(ref _uplink, uplink);
    }

    /// <summary>A newer connection of the same badge has logged in: what this one still reads is no longer the badge's.</summary>
    public void TakenOver() => _takenOver = true;

    /// <summary>A route handed the session's queue a message for this badge: frames wait behind it until it is written.</summary>
    public void NoteQueued() => Interlocked.Increment(ref _queued);

    /// <summary>The queue did not take it after all.</summary>
    public void Unqueued() => Interlocked.Decrement(ref _queued);

    /// <summary>A message for this connection went to its writer.</summary>
    public void HandedToWriter() => Interlocked.Increment(ref _withWriter);

    /// <summary>The writer has written, queued or given up on one of them.</summary>
    public void LeftWriter() => Interlocked.Decrement(ref _withWriter);

    /// <summary>
    /// Writes <paramref name="payload"/> as a QoS 0 PUBLISH on the badge's audio topic, header and payload in one write;
    /// false (nothing written) when something is still queued ahead of it, another write is under way, the protocol
    /// version is not known yet, or the socket is full or gone: the caller then queues it.
    /// </summary>
    public bool TryWriteAudio(byte[] payload)
    {
        var properties = PacketFormatterAdapter.ProtocolVersion switch
        {
            MqttProtocolVersion.V310 or MqttProtocolVersion.V311 => 0,
            MqttProtocolVersion.V500 => 1,
            _ => -1,
        };
        if (properties < 0 || _audioTopic is null || Volatile.Read(ref _queued) != 0 || !_sending.Wait(0))
        {
            return false;
        }

        Task write;
        try
        {
            // Counted under the lock: MQTTnet cannot be writing a queued message now, so zero means none is ahead.
            if (Volatile.Read(ref _queued) != 0)
            {
                _sending.Release();
                return false;
            }

            var length = Encode(payload, properties);
            if (socket is not null)
            {
                return Send(length);
            }

            write = channel.WriteAsync(new ReadOnlySequence<byte>(_frame, 0, length), isEndOfPacket: true, CancellationToken.None);
        }
        catch
        {
            _sending.Release();
            throw;
        }

        return Finish(write);
    }

    /// <summary>Whether audio frames go to the socket itself (a plain connection) rather than through a stream.</summary>
    public bool WritesToSocket => socket is not null;

    // Under the send lock, with the frame encoded: one non-blocking send. The lock is released here unless the rest of
    // a frame the socket took only part of is still being written.
    private bool Send(int length)
    {
        var sent = socket!.Send(_frame, 0, length, SocketFlags.None, out var error);
        if (error == SocketError.Success && sent == length)
        {
            _sending.Release();
            return true;
        }

        if (error == SocketError.Success && sent > 0)
        {
            // Part of the frame is on its way: the rest must follow before anything else does.
            return Finish(channel.WriteAsync(new ReadOnlySequence<byte>(_frame, sent, length - sent), isEndOfPacket: true, CancellationToken.None));
        }

        // Full (nothing written: the caller queues the frame behind the rest) or failing (the connection is going;
        // MQTTnet's side finds out on its own).
        _sending.Release();
        return false;
    }

    private bool Finish(Task write)
    {
        if (!write.IsCompleted)
        {
            _ = ReleaseWhenWrittenAsync(write);
            return true;
        }

        _sending.Release();
        if (!write.IsCompletedSuccessfully)
        {
            _ = write.Exception; // observed: the connection is going, MQTTnet's side finds out on its own
            return false;
        }

        return true;
    }

    public async Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await inner.SendPacketAsync(packet, cancellationToken);
        }
        finally
        {
            if (packet is MqttPublishPacket publish && (ReferenceEquals(publish.Topic, _audioTopic) || ReferenceEquals(publish.Topic, _controlTopic))
                && Volatile.Read(ref _queued) > 0)
            {
                Interlocked.Decrement(ref _queued);
            }

            _sending.Release();
        }
    }

    public Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _uplink) is null ? inner.ReceivePacketAsync(cancellationToken)
        : reader is null ? ReceiveTakingUplinkAsync(cancellationToken)
        : ReceiveReadingAheadAsync(reader, cancellationToken);

    // Reads until a packet is for MQTTnet: an uplink PUBLISH the gateway takes is handled on the reading thread (the
    // receive loop's, for a plain or TLS badge connection on Linux) and the next read starts there at once.
    private async Task<MqttPacket> ReceiveTakingUplinkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
            if (packet is not MqttPublishPacket publish || !TakenAsUplink(publish))
            {
                _handedToBrokerAt = Environment.TickCount64;
                return packet;
            }
        }
    }

    // As above, with the connection read by the gateway itself from login on (MQTTnet's adapter, which reads exactly one
    // packet at a time, read the CONNECT and never reads again): one read per arrival, one state machine for as long as
    // the badge talks, and a plain QoS 0 PUBLISH taken apart in place. Ends as MQTTnet's adapter ends a read: null when
    // the connection ends or the read is cancelled, a communication error for a failed connection.
    private async Task<MqttPacket> ReceiveReadingAheadAsync(BadgePacketReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                while (reader.TryNext(out var framed))
                {
                    if (TakesUplink() && reader.TryPlainPublish(framed, PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V500, out var topic, out var payload))
                    {
                        _uplink!.Take(_badgeId!, topic, new ReadOnlySequence<byte>(payload));
                        continue;
                    }

                    var packet = Decode(reader, framed);
                    if (packet is not MqttPublishPacket publish || !TakenAsUplink(publish))
                    {
                        _handedToBrokerAt = Environment.TickCount64;
                        return packet;
                    }
                }

                var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (read == 0 || cancellationToken.IsCancellationRequested)
                {
                    return null!;
                }

                reader.Filled(read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return null!;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // As MQTTnet's adapter wraps them: an aborted read is a cancellation, anything else a communication error.
            var socketError = (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode;
            if (socketError == SocketError.OperationAborted)
            {
                return null!;
            }

            throw new MqttCommunicationException(socketError is null ? e : e.InnerException ?? e);
        }
    }

    // MQTTnet's decoder on a packet read here, failing as it fails in MQTTnet's adapter: whatever it throws on malformed
    // bytes is a communication error (MQTTnet then logs a warning and closes the connection), not an unexpected error.
    private MqttPacket Decode(BadgePacketReader reader, in FramedPacket framed)
    {
        try
        {
            return PacketFormatterAdapter.Decode(reader.Received(framed)) ?? throw new MqttProtocolViolationException("Received malformed packet.");
        }
        catch (Exception e) when (e is not (MqttProtocolViolationException or MqttCommunicationException))
        {
            throw new MqttCommunicationException(e);
        }
    }

    private bool TakenAsUplink(MqttPublishPacket publish)
    {
        if (publish is not { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtMostOnce, Retain: false, TopicAlias: 0 } || !TakesUplink())
        {
            return false;
        }

        _uplink!.Take(_badgeId!, publish.Topic, publish.Payload);
        return true;
    }

    private bool TakesUplink() => Environment.TickCount64 - _handedToBrokerAt < BrokerSeesUplinkEveryMs && !_takenOver;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public void ResetStatistics() => inner.ResetStatistics();

    public void Dispose() => inner.Dispose();

    // Fixed header (PUBLISH, QoS 0), remaining length, topic, the empty property list of MQTT 5, payload.
    private int Encode(byte[] payload, int properties)
    {
        var remaining = 2 + _audioTopicBytes.Length + properties + payload.Length;
        var needed = 1 + 4 + remaining;
        if (needed > _frame.Length)
        {
            _frame = new byte[Math.Max(needed, 2 * _frame.Length)];
        }

        var at = 0;
        _frame[at++] = 0x30;
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            _frame[at++] = remaining > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (remaining > 0);

        _frame[at++] = (byte)(_audioTopicBytes.Length >> 8);
        _frame[at++] = (byte)_audioTopicBytes.Length;
        _audioTopicBytes.CopyTo(_frame, at);
        at += _audioTopicBytes.Length;
        if (properties == 1)
        {
            _frame[at++] = 0;
        }

        payload.CopyTo(_frame, at);
        return at + payload.Length;
    }

    private async Task ReleaseWhenWrittenAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception)
        {
            // The connection is going; MQTTnet's side finds out on its own.
        }
        finally
        {
            _sending.Release();
        }
    }
}
