using WalkieTalkie.Device.Audio;
using Xunit;

namespace WalkieTalkie.Device.Tests.Firmware;

/// <summary>The mic's slot out of 32-bit stereo DMA frames, as the INMP441 fills them (24 bits at the top, little-endian).</summary>
public class StereoSlotPickerTests
{
    private static byte[] Frames(params (int Left, int Right)[] frames)
    {
        var raw = new byte[frames.Length * StereoSlotPicker.FrameBytes];
        for (var i = 0; i < frames.Length; i++)
        {
            BitConverter.GetBytes(frames[i].Left).CopyTo(raw, i * 8);
            BitConverter.GetBytes(frames[i].Right).CopyTo(raw, i * 8 + 4);
        }

        return raw;
    }

    [Fact]
    public void Without_gain_the_top_16_bits_of_the_chosen_slot_are_kept()
    {
        // 24-bit samples 0x123456 and -0x000100 left-aligned in their 32-bit slots.
        var raw = Frames((0x12345600, 0x7FFFFF00), (unchecked((int)0xFFFF0000), 0));
        var left = new short[2];
        var right = new short[2];

        StereoSlotPicker.Pick(raw, 2, 0, 0, left, 0);
        StereoSlotPicker.Pick(raw, 2, 1, 0, right, 0);

        Assert.Equal(new short[] { 0x1234, -1 }, left);
        Assert.Equal(new short[] { 0x7FFF, 0 }, right);
    }

    [Fact]
    public void Gain_doubles_per_step_and_clips_instead_of_wrapping()
    {
        var raw = Frames((0x01000000, 0), (0x40000000, 0), (unchecked((int)0xC0000000), 0));
        var samples = new short[3];

        StereoSlotPicker.Pick(raw, 3, 0, 2, samples, 0);

        Assert.Equal((short)0x0400, samples[0]);
        Assert.Equal(short.MaxValue, samples[1]);
        Assert.Equal(short.MinValue, samples[2]);
    }

    [Fact]
    public void Samples_land_at_the_offset_and_nothing_else_is_touched()
    {
        var raw = Frames((0x00010000, 0), (0x00020000, 0));
        var samples = new short[] { 9, 9, 9, 9 };

        StereoSlotPicker.Pick(raw, 2, 0, 0, samples, 1);

        Assert.Equal(new short[] { 9, 1, 2, 9 }, samples);
    }
}
