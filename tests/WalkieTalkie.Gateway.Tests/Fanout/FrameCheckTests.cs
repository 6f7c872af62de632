using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Fanout;

public sealed class FrameCheckTests
{
    private static AudioFrame Read(byte[] payload)
    {
        var frame = new AudioFrame();
        Assert.Equal(ProtocolError.None, frame.Read(payload, 0, payload.Length));
        return frame;
    }

    [Fact]
    public void A_well_formed_frame_passes_before_and_after_the_burst_has_a_layout()
    {
        Assert.Null(FrameCheck.Problem(Read(TestFrames.Make(1, 1, 0, blocks: 3)), 0));
        Assert.Null(FrameCheck.Problem(Read(TestFrames.Make(1, 1, 5, blocks: 3)), 164));
    }

    [Fact]
    public void Another_block_length_than_the_bursts_is_refused()
    {
        var other = new byte[AudioFrame.LengthFor(1, 100)];
        AudioFrame.WriteHeader(other, 0, 1, 0, 1, 1, 0, 1, 100);
        Assert.Contains("block length 100", FrameCheck.Problem(Read(other), 164));
    }

    [Theory]
    [InlineData(2, 89)]
    [InlineData(2, 255)]
    [InlineData(3, 1)]
    public void A_block_with_a_bad_header_is_refused_wherever_it_is(int headerByte, byte value)
    {
        var payload = TestFrames.Make(1, 1, 0, blocks: 3);
        payload[AudioFrame.HeaderLength + 2 * 164 + headerByte] = value;
        Assert.Contains("block 2", FrameCheck.Problem(Read(payload), 0));
    }
}
