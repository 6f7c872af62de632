namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// One whole MQTT packet in a <see cref="PacketFramer"/>'s buffer: its first byte (type and flags), where its body (what
/// follows the remaining length) lies, and its length on the wire, header included.
/// </summary>
public readonly record struct FramedPacket(byte Header, int BodyOffset, int BodyLength, int TotalLength);
