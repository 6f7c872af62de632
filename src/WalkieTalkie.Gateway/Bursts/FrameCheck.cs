using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// What the gateway checks in a frame beyond its header, before it goes to anyone: every block starts with a valid
/// IMA ADPCM block header (step index 0-88, reserved byte 0), and the block length is the burst's own. A frame that
/// fails is dropped whole, so listeners and the recording never get a block their decoder would refuse.
/// </summary>
public static class FrameCheck
{
    private const int MaxStepIndex = 88;

    /// <summary>Null when the frame may go on; otherwise why not.</summary>
    public static string? Problem(AudioFrame frame, int burstBlockBytes)
    {
        if (burstBlockBytes != 0 && frame.BlockBytes != burstBlockBytes)
        {
            return $"block length {frame.BlockBytes}, the burst's is {burstBlockBytes}";
        }

        for (var i = 0; i < frame.BlockCount; i++)
        {
            var at = frame.BlockOffset(i);
            if (frame.Buffer[at + 2] > MaxStepIndex || frame.Buffer[at + 3] != 0)
            {
                return $"block {i} has an invalid header";
            }
        }

        return null;
    }
}
