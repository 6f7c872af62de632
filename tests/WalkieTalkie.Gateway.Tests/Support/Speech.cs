using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Speech-like test audio, its ADPCM blocks, and how much of it a listener heard (in-order correlation).</summary>
public static class Speech
{
    /// <summary>Gliding tones with a syllable rhythm and some noise, from a seed.</summary>
    public static short[] Signal(int seed, double seconds, int rate)
    {
        var random = new Random(seed);
        var samples = new short[(int)(seconds * rate)];
        double phase1 = 0, phase2 = 0;
        var f1 = 200.0 + random.Next(200);
        var f2 = 900.0 + random.Next(600);
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / rate;
            phase1 += 2 * Math.PI * (f1 + 120 * Math.Sin(2 * Math.PI * 0.7 * t + seed)) / rate;
            phase2 += 2 * Math.PI * (f2 + 300 * Math.Sin(2 * Math.PI * 1.3 * t + seed * 2)) / rate;
            var envelope = 0.5 + 0.5 * Math.Sin(2 * Math.PI * (3 + seed % 3) * t);
            var value = envelope * (0.5 * Math.Sin(phase1) + 0.3 * Math.Sin(phase2)) + 0.05 * (random.NextDouble() - 0.5);
            samples[i] = (short)(value * 12000);
        }

        return samples;
    }

    public static List<byte[]> Encode(short[] samples, int samplesPerBlock)
    {
        var encoder = new ImaAdpcmEncoder();
        var blocks = new List<byte[]>();
        for (var at = 0; at + samplesPerBlock <= samples.Length; at += samplesPerBlock)
        {
            var block = new byte[ImaAdpcm.BlockBytesFor(samplesPerBlock)];
            Assert.True(encoder.EncodeBlock(samples, at, samplesPerBlock, block, 0) > 0);
            blocks.Add(block);
        }

        return blocks;
    }

    /// <summary>The blocks decoded one after another (at most <paramref name="maxSamples"/>).</summary>
    public static short[] Decode(int maxSamples, IReadOnlyList<byte[]> blocks)
    {
        var samples = new List<short>();
        var block = new short[4096];
        foreach (var b in blocks)
        {
            var count = ImaAdpcmDecoder.DecodeBlock(b, 0, b.Length, block, 0);
            samples.AddRange(block.Take(count));
        }

        return samples.Take(maxSamples).ToArray();
    }

    /// <summary>What a badge received of a burst (its frames, in sequence order), decoded.</summary>
    public static short[] DecodeFrames(IEnumerable<(ushort Sequence, byte Flags, byte[] Payload)> frames)
    {
        var reader = new WalkieTalkie.Protocol.Frames.AudioFrame();
        var blocks = new List<byte[]>();
        foreach (var (_, _, payload) in frames.OrderBy(f => f.Sequence))
        {
            Assert.Equal(WalkieTalkie.Protocol.ProtocolError.None, reader.Read(payload, 0, payload.Length));
            for (var b = 0; b < reader.BlockCount; b++)
            {
                blocks.Add(payload.AsSpan(WalkieTalkie.Protocol.Frames.AudioFrame.HeaderLength + b * reader.BlockBytes, reader.BlockBytes).ToArray());
            }
        }

        return Decode(int.MaxValue, blocks);
    }

    /// <summary>
    /// Half-second pieces of the reference found in order in what was heard, each allowed to start up to a second after
    /// the previous one ended (a badge's output is on its wall clock, and a loaded machine stalls: a single lag for a
    /// whole message scored 0.517 on a run where every block was played).
    /// </summary>
    public static InOrderCorrelation.Result Heard(short[] reference, short[] heard, int rate) =>
        InOrderCorrelation.Score(reference, heard, pieceSamples: rate / 2, firstMaxLag: heard.Length, maxGap: rate);
}
