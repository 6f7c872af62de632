using WalkieTalkie.Media;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="WavReader.Read"/> (recordings, queued messages, virtual badge clips), then what the voice-message path
/// does with an accepted file: <see cref="BurstWavReader.Read"/> decodes every block. WavReader never throws (a
/// refusal is a negative <see cref="WavError"/>); BurstWavReader refuses with <see cref="MediaFormatException"/> only.
/// </summary>
public sealed class WavTarget : FuzzTarget
{
    private readonly WavInfo _info = new();

    public override string Description => "WavReader.Read (IMA ADPCM and PCM), then BurstWavReader.Read decoding the data";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Protocol", "WalkieTalkie.Media"];

    public override FuzzOutcome Run(byte[] input)
    {
        if (WavReader.Read(input, input.Length, _info) != WavError.Ok)
        {
            return FuzzOutcome.Refused;
        }

        try
        {
            BurstWavReader.Read(input);
        }
        catch (MediaFormatException)
        {
            return FuzzOutcome.Refused;
        }

        return FuzzOutcome.Accepted;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        foreach (var seed in WithTruncations(ImaAdpcmWav(8000, samplesPerBlock: 41, blockCount: 3), WavWriter.ImaAdpcmHeaderBytes))
        {
            yield return seed;
        }

        yield return ImaAdpcmWav(16000, samplesPerBlock: 81, blockCount: 2);
        yield return PcmWav(8000, sampleCount: 40);
        yield return PcmWav(16000, sampleCount: 0);
    }

    private static byte[] ImaAdpcmWav(int sampleRate, int samplesPerBlock, int blockCount)
    {
        var blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
        var samples = SeedAudio.Tone(samplesPerBlock * blockCount, sampleRate);
        var file = new byte[WavWriter.ImaAdpcmHeaderBytes + blockBytes * blockCount];
        WavWriter.WriteImaAdpcmHeader(file, 0, sampleRate, blockBytes, blockCount, samples.Length - 5);
        var encoder = new ImaAdpcmEncoder();
        for (var block = 0; block < blockCount; block++)
        {
            encoder.EncodeBlock(samples, block * samplesPerBlock, samplesPerBlock, file, WavWriter.ImaAdpcmHeaderBytes + block * blockBytes);
        }

        return file;
    }

    private static byte[] PcmWav(int sampleRate, int sampleCount)
    {
        var samples = SeedAudio.Tone(sampleCount, sampleRate);
        var file = new byte[WavWriter.PcmHeaderBytes + 2 * sampleCount];
        WavWriter.WritePcmHeader(file, 0, sampleRate, sampleCount);
        for (var i = 0; i < sampleCount; i++)
        {
            file[WavWriter.PcmHeaderBytes + 2 * i] = (byte)samples[i];
            file[WavWriter.PcmHeaderBytes + 2 * i + 1] = (byte)(samples[i] >> 8);
        }

        return file;
    }
}
