using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// One badge's session with its two downlink messages made once: the topic strings and the message objects are the
/// badge's for as long as the route lives, so a frame to a listener allocates nothing of ours (MQTTnet copies the
/// message's fields into a packet of its own when it enqueues it, so the message can take the next payload at once).
/// With the badge's connection known, an audio frame is written straight to it when nothing is queued ahead of it
/// (<see cref="BadgeConnection.TryWriteAudio"/>): no packet, queue item or sender wake-up per listener. The route's
/// sends may come from the engine's loop or the connection's writer (<see cref="ConnectionWriters{T}"/>), one at a time
/// for a connection.
/// </summary>
internal sealed class DirectRoute(MqttSessionStatus session, string badgeId, BadgeConnection? connection = null)
{
    private readonly MqttApplicationMessage _audio = new()
    {
        Topic = connection?.AudioTopic ?? Topics.DownAudio(badgeId),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce,
    };

    private readonly MqttApplicationMessage _control = new()
    {
        Topic = connection?.ControlTopic ?? Topics.DownControl(badgeId),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
    };

    public MqttSessionStatus Session => session;

    public string BadgeId => badgeId;

    /// <summary>The badge's connection, where frames can be written straight (null when it was not known).</summary>
    public BadgeConnection? Connection => connection;

    /// <summary>The frame written straight to the badge's connection; false when it has to be queued (<see cref="TrySendAudio"/>).</summary>
    public bool TryWriteAudio(byte[] payload) => connection is not null && connection.TryWriteAudio(payload);

    public bool TrySendAudio(byte[] payload) => TrySend(_audio, payload);

    public bool TrySendControl(byte[] payload) => TrySend(_control, payload);

    private bool TrySend(MqttApplicationMessage message, byte[] payload)
    {
        // The engine's loop and the connection's writer take turns (a badge's messages go to the writer while it holds
        // any); the lock keeps any other caller from swapping the payload between the set and the copy.
        lock (message)
        {
            message.Payload = new ReadOnlySequence<byte>(payload);
            // Counted before the queue has it, so a frame written straight after cannot overtake it.
            connection?.NoteQueued();
            var queued = false;
            try
            {
                queued = session.TryEnqueueApplicationMessage(message, out _);
                return queued;
            }
            finally
            {
                if (!queued)
                {
                    connection?.Unqueued();
                }

                message.Payload = ReadOnlySequence<byte>.Empty;
            }
        }
    }
}
