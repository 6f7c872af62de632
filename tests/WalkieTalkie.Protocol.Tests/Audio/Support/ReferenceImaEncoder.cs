using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>
/// The IMA ADPCM reference encoder written the plain way (one sample at a time, the step difference from
/// shifts and adds, the index adjusted and clamped), with no table tricks: what the badge's optimised
/// encoder must reproduce byte for byte.
/// </summary>
public static class ReferenceImaEncoder
{
    private static readonly int[] IndexAdjust = [-1, -1, -1, -1, 2, 4, 6, 8];

    /// <summary>Encodes one block; returns the block, what a decoder reconstructs, and the step index after it.</summary>
    public static (byte[] Block, short[] Reconstruction, int EndIndex) Encode(short[] samples, int offset, int count, int index)
    {
        var block = new byte[4 + (count - 1) / 2];
        var reconstruction = new short[count];
        int predictor = samples[offset];
        block[0] = (byte)predictor;
        block[1] = (byte)(predictor >> 8);
        block[2] = (byte)index;
        reconstruction[0] = (short)predictor;

        for (int t = 1; t < count; t++)
        {
            int diff = samples[offset + t] - predictor;
            int code = 0;
            if (diff < 0)
            {
                code = 8;
                diff = -diff;
            }

            int step = ImaAdpcmTables.StepSizes[index];
            int change = step >> 3;
            if (diff >= step)
            {
                code |= 4;
                diff -= step;
                change += step;
            }

            step >>= 1;
            if (diff >= step)
            {
                code |= 2;
                diff -= step;
                change += step;
            }

            step >>= 1;
            if (diff >= step)
            {
                code |= 1;
                change += step;
            }

            predictor = Math.Clamp((code & 8) != 0 ? predictor - change : predictor + change, -32768, 32767);
            index = Math.Clamp(index + IndexAdjust[code & 7], 0, 88);
            reconstruction[t] = (short)predictor;
            block[4 + (t - 1) / 2] |= (byte)((t - 1) % 2 == 0 ? code : code << 4);
        }

        return (block, reconstruction, index);
    }
}
