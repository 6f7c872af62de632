using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// A web walkie's WebSocket message as the gateway reads it: <see cref="WireEnvelope.Read"/> as an uplink, then the
/// payload through the parser of its kind (an audio frame, or a control or state message), as the engine reads a
/// badge's MQTT payload. Neither throws; an accepted envelope must write back to exactly its bytes.
/// </summary>
public sealed class WebFrameTarget : FuzzTarget
{
    private readonly AudioFrame _frame = new();
    private readonly ControlMessageReader _control = new();
    private readonly byte[] _written = new byte[WireEnvelope.MaxLength];

    public override string Description => "WireEnvelope.Read (the web walkie's WebSocket messages), then the payload's parser";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Protocol"];

    public override FuzzOutcome Run(byte[] input)
    {
        if (WireEnvelope.Read(input, input.Length, uplink: true, out var kind) != ProtocolError.None)
        {
            return FuzzOutcome.Refused;
        }

        var payloadLength = input.Length - WireEnvelope.HeaderLength;
        var written = WireEnvelope.Write(kind, input, WireEnvelope.HeaderLength, payloadLength, _written);
        if (written != input.Length || !_written.AsSpan(0, written).SequenceEqual(input))
        {
            throw new FuzzInvariantException($"an accepted {kind} envelope writes back as {written} other bytes ({input.Length} read)");
        }

        var payload = input.AsSpan(WireEnvelope.HeaderLength).ToArray();
        var error = kind == TopicKind.UpAudio
            ? _frame.Read(payload, 0, payload.Length)
            : _control.Read(payload, 0, payload.Length, ControlDirection.Uplink);
        return error == ProtocolError.None ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Envelope(TopicKind.UpControl, new FloorRequest { Channel = 1 }.ToBytes());
        yield return Envelope(TopicKind.UpControl, new FloorRelease { Channel = 1, BurstId = 77, FrameCount = 12 }.ToBytes());
        yield return Envelope(TopicKind.UpState, new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = 255, Firmware = "web" }.ToBytes());
        var frame = new byte[AudioFrame.LengthFor(1, 164)];
        AudioFrame.WriteHeader(frame, 0, channel: 1, FrameFlags.First, burstId: 9, sequence: 0, SampleRate.Narrowband, blockCount: 1, blockBytes: 164);
        yield return Envelope(TopicKind.UpAudio, frame);
        yield return Envelope(TopicKind.DownControl, new FloorGranted { Channel = 1, BurstId = 9, MaxTalkSeconds = 30 }.ToBytes());
    }

    private static byte[] Envelope(TopicKind kind, byte[] payload)
    {
        var envelope = new byte[WireEnvelope.HeaderLength + payload.Length];
        envelope[0] = (byte)kind;
        payload.CopyTo(envelope, WireEnvelope.HeaderLength);
        return envelope;
    }
}
