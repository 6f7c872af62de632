using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>Sizes the embedded broker holds clients to.</summary>
public static class MqttLimits
{
    /// <summary>
    /// The largest MQTT packet body (remaining length) a client may announce: the protocol's largest message, an audio
    /// frame of <see cref="AudioFrame.MaxLength"/> bytes, plus 256 bytes for its topic, packet id and MQTT 5
    /// properties. A CONNECT or SUBSCRIBE of a badge is far smaller. Mosquitto's <c>max_packet_size</c> takes the same.
    /// </summary>
    public const int MaxPacketBytes = AudioFrame.MaxLength + 256;
}
