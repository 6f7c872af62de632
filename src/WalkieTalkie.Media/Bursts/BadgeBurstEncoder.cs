using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Media.Bursts;

/// <summary>Encodes mono PCM into the protocol's IMA ADPCM blocks with the gateway's (trellis) encoder.</summary>
public static class BadgeBurstEncoder
{
    /// <summary>Cuts <paramref name="pcm"/> into blocks of <paramref name="samplesPerBlock"/> samples (odd), padding the last with silence.</summary>
    public static BadgeBurst Encode(ReadOnlySpan<short> pcm, int sampleRate, int samplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock)
    {
        int blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
        if (blockBytes == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplesPerBlock), samplesPerBlock, "A block holds an odd, positive number of samples.");
        }

        var encoder = new ImaAdpcmTrellisEncoder(samplesPerBlock, ImaAdpcmTrellisEncoder.DefaultPathsPerStepIndex, ImaAdpcmTrellisEncoder.DefaultCorridor);
        int count = (pcm.Length + samplesPerBlock - 1) / samplesPerBlock;
        var blocks = new List<byte[]>(count);
        var input = new short[samplesPerBlock];
        for (int b = 0; b < count; b++)
        {
            var chunk = pcm.Slice(b * samplesPerBlock, Math.Min(samplesPerBlock, pcm.Length - b * samplesPerBlock));
            chunk.CopyTo(input);
            input.AsSpan(chunk.Length).Clear();
            var block = new byte[blockBytes];
            int written = encoder.EncodeBlock(input, 0, samplesPerBlock, block, 0);
            if (written != blockBytes)
            {
                throw new InvalidOperationException("The IMA ADPCM encoder refused a block: " + AdpcmError.Describe(written));
            }

            blocks.Add(block);
        }

        return new BadgeBurst(sampleRate, samplesPerBlock, blocks, pcm.Length);
    }
}
