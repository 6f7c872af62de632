using FsCheck.Xunit;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Tests.Wire;

/// <summary>The WebSocket's envelope: a topic-kind byte and the payload unchanged; the side and size rules of the topics.</summary>
public class WireEnvelopeTests
{
    [Theory]
    [InlineData(TopicKind.UpAudio, true)]
    [InlineData(TopicKind.UpControl, true)]
    [InlineData(TopicKind.UpState, true)]
    [InlineData(TopicKind.DownAudio, false)]
    [InlineData(TopicKind.DownControl, false)]
    public void Round_trips_each_kind_from_its_own_side(TopicKind kind, bool uplink)
    {
        var payload = new FloorRequest { Channel = 3 }.ToBytes();
        var target = new byte[WireEnvelope.MaxLength];
        var length = WireEnvelope.Write(kind, payload, 0, payload.Length, target);

        Assert.Equal(1 + payload.Length, length);
        Assert.Equal(ProtocolError.None, WireEnvelope.Read(target, length, uplink, out var read));
        Assert.Equal(kind, read);
        Assert.Equal(payload, target.AsSpan(1, length - 1).ToArray());
    }

    [Theory]
    [InlineData(TopicKind.DownAudio, true)]
    [InlineData(TopicKind.DownControl, true)]
    [InlineData(TopicKind.UpAudio, false)]
    [InlineData(TopicKind.UpState, false)]
    [InlineData(TopicKind.None, true)]
    [InlineData((TopicKind)6, true)]
    [InlineData((TopicKind)255, false)]
    public void Refuses_a_kind_the_other_side_may_not_send(TopicKind kind, bool uplink)
    {
        var buffer = new byte[] { (byte)kind, 1, 0x10, 3, 0 };

        Assert.Equal(ProtocolError.UnknownType, WireEnvelope.Read(buffer, buffer.Length, uplink, out var read));
        Assert.Equal(TopicKind.None, read);
    }

    [Fact]
    public void Refuses_an_envelope_without_payload()
    {
        Assert.Equal(ProtocolError.Truncated, WireEnvelope.Read([(byte)TopicKind.UpControl], 1, true, out _));
        Assert.Equal(ProtocolError.Truncated, WireEnvelope.Read([], 0, true, out _));
        Assert.Equal(ProtocolError.Truncated, WireEnvelope.Read(null!, 3, true, out _));
        Assert.Equal(ProtocolError.Truncated, WireEnvelope.Read([2, 1], 5, true, out _));
    }

    [Fact]
    public void Holds_each_kind_to_the_size_its_topic_allows()
    {
        var buffer = new byte[WireEnvelope.MaxLength + 1];
        buffer[0] = (byte)TopicKind.UpControl;
        Assert.Equal(ProtocolError.None, WireEnvelope.Read(buffer, 1 + ControlMessage.MaxLength, true, out _));
        Assert.Equal(ProtocolError.Oversized, WireEnvelope.Read(buffer, 2 + ControlMessage.MaxLength, true, out _));

        buffer[0] = (byte)TopicKind.UpAudio;
        Assert.Equal(ProtocolError.None, WireEnvelope.Read(buffer, 1 + AudioFrame.MaxLength, true, out _));
        Assert.Equal(ProtocolError.Oversized, WireEnvelope.Read(buffer, 2 + AudioFrame.MaxLength, true, out _));
    }

    [Fact]
    public void Write_refuses_what_does_not_fit()
    {
        var control = new byte[ControlMessage.MaxLength + 1];
        Assert.Equal(0, WireEnvelope.Write(TopicKind.DownControl, control, 0, control.Length, new byte[WireEnvelope.MaxLength]));
        Assert.Equal(0, WireEnvelope.Write(TopicKind.DownControl, control, 0, 10, new byte[10]));
        Assert.Equal(0, WireEnvelope.Write(TopicKind.None, control, 0, 10, new byte[20]));
        Assert.Equal(0, WireEnvelope.Write(TopicKind.DownControl, control, 1020, 10, new byte[20]));
        Assert.Equal(0, WireEnvelope.Write(TopicKind.DownControl, control, 0, 0, new byte[20]));
    }

    [Property(MaxTest = 2000)]
    public void Never_throws_on_any_bytes(byte[] bytes, bool uplink)
    {
        var error = WireEnvelope.Read(bytes, bytes.Length, uplink, out var kind);
        Assert.Equal(error == ProtocolError.None, kind != TopicKind.None);
    }
}
