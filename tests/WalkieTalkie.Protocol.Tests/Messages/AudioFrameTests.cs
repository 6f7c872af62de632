using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Protocol.Tests.Messages;

public class AudioFrameTests
{
    private const int BlockBytes = 164;
    private readonly AudioFrame _frame = new();

    private static byte[] Frame(byte flags = FrameFlags.First, int blocks = 2, int blockBytes = BlockBytes, int offset = 0)
    {
        var buffer = new byte[offset + AudioFrame.LengthFor(blocks, blockBytes) + 5];
        var length = AudioFrame.WriteHeader(buffer, offset, 7, flags, 0xA1B2C3D4, 513, SampleRate.Wideband, blocks, blockBytes);
        Assert.Equal(AudioFrame.LengthFor(blocks, blockBytes), length);
        for (var i = offset + AudioFrame.HeaderLength; i < offset + length; i++)
        {
            buffer[i] = (byte)i;
        }

        return buffer[..(offset + length)];
    }

    [Fact]
    public void A_frame_round_trips_and_points_at_its_blocks_in_place()
    {
        var bytes = Frame(FrameFlags.First | FrameFlags.Replay, blocks: 3, offset: 9);
        Assert.Equal(ProtocolError.None, _frame.Read(bytes, 9, bytes.Length - 9));

        Assert.Equal(7, _frame.Channel);
        Assert.True(_frame.IsFirst);
        Assert.False(_frame.IsLast);
        Assert.True(_frame.IsReplay);
        Assert.Equal(0xA1B2C3D4u, _frame.BurstId);
        Assert.Equal(513, _frame.Sequence);
        Assert.Equal(SampleRate.Wideband, _frame.RateCode);
        Assert.Equal(3, _frame.BlockCount);
        Assert.Equal(BlockBytes, _frame.BlockBytes);
        Assert.Equal(321, _frame.SamplesPerBlock);
        Assert.Same(bytes, _frame.Buffer);
        Assert.Equal(9 + AudioFrame.HeaderLength + 2 * BlockBytes, _frame.BlockOffset(2));
        Assert.Equal((byte)_frame.BlockOffset(1), bytes[_frame.BlockOffset(1)]);
    }

    [Fact]
    public void The_header_is_laid_out_as_documented()
    {
        var bytes = Frame(FrameFlags.Last, blocks: 1);
        Assert.Equal(new byte[] { 1, 0x01, 7, FrameFlags.Last, 0xD4, 0xC3, 0xB2, 0xA1, 0x01, 0x02, 1, 1 }, bytes[..12]);
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var bytes = Frame();
        for (var length = 0; length < AudioFrame.LengthFor(1, AudioFrame.MinBlockBytes); length++)
        {
            Assert.Equal(ProtocolError.Truncated, _frame.Read(bytes, 0, length));
        }

        // Cut inside the blocks: the length no longer divides into equal blocks.
        Assert.Equal(ProtocolError.Malformed, _frame.Read(bytes, 0, bytes.Length - 1));
    }

    [Fact]
    public void Another_version_or_type_is_refused()
    {
        var bytes = Frame();
        bytes[0] = 2;
        Assert.Equal(ProtocolError.UnknownVersion, _frame.Read(bytes, 0, bytes.Length));
        bytes[0] = 1;
        bytes[1] = 0x10;
        Assert.Equal(ProtocolError.UnknownType, _frame.Read(bytes, 0, bytes.Length));
    }

    [Theory]
    [InlineData(3, 0x80)] // reserved flag bit
    [InlineData(10, 9)]   // unknown sample rate code
    [InlineData(11, 0)]   // no blocks
    [InlineData(11, 9)]   // more blocks than allowed
    public void Values_the_protocol_does_not_allow_are_malformed(int index, byte value)
    {
        var bytes = Frame(blocks: 1);
        bytes[index] = value;
        Assert.Equal(ProtocolError.Malformed, _frame.Read(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Too_long_a_payload_is_oversized()
    {
        var bytes = new byte[AudioFrame.MaxLength + 1];
        bytes[0] = 1;
        bytes[1] = AudioFrame.Type;
        Assert.Equal(ProtocolError.Oversized, _frame.Read(bytes, 0, bytes.Length));
    }

    [Fact]
    public void The_writer_refuses_what_the_reader_would_refuse()
    {
        var buffer = new byte[AudioFrame.MaxLength];
        Assert.Equal(-1, AudioFrame.WriteHeader(buffer, 0, 1, 0x80, 1, 0, SampleRate.Narrowband, 1, BlockBytes));
        Assert.Equal(-1, AudioFrame.WriteHeader(buffer, 0, 1, 0, 1, 0, 9, 1, BlockBytes));
        Assert.Equal(-1, AudioFrame.WriteHeader(buffer, 0, 1, 0, 1, 0, SampleRate.Narrowband, 0, BlockBytes));
        Assert.Equal(-1, AudioFrame.WriteHeader(buffer, 0, 1, 0, 1, 0, SampleRate.Narrowband, 1, AudioFrame.MinBlockBytes - 1));
        Assert.Equal(-1, AudioFrame.WriteHeader(new byte[100], 0, 1, 0, 1, 0, SampleRate.Narrowband, 1, BlockBytes));
        Assert.Equal(-1, AudioFrame.WriteHeader(buffer, 0, 1, 0, 1, 0, SampleRate.Narrowband, 8, AudioFrame.MaxBlockBytes));
    }

    [Fact]
    public void Marking_a_replay_sets_that_flag_only_and_refuses_what_is_no_frame()
    {
        var bytes = Frame(FrameFlags.Last, blocks: 2, offset: 5);
        Assert.True(AudioFrame.MarkReplay(bytes, 5));
        Assert.Equal(ProtocolError.None, _frame.Read(bytes, 5, bytes.Length - 5));
        Assert.True(_frame.IsReplay);
        Assert.True(_frame.IsLast);
        Assert.False(_frame.IsFirst);

        Assert.False(AudioFrame.MarkReplay(bytes, 0));
        Assert.False(AudioFrame.MarkReplay(bytes, bytes.Length - AudioFrame.HeaderLength + 1));
        Assert.False(AudioFrame.MarkReplay(bytes, -1));
        Assert.False(AudioFrame.MarkReplay(null!, 0));
    }
}
