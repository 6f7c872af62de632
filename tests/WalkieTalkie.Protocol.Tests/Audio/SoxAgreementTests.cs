using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;

namespace WalkieTalkie.Protocol.Tests.Audio;

/// <summary>
/// Our decoder against sox's (the reference computation): sample for sample, on files sox encoded with its
/// own block size and on files we encoded with 321-sample blocks, for speech, tones, noise and a loud
/// clipping signal at 8 and 16 kHz.
/// </summary>
public sealed class SoxAgreementTests
{
    public static TheoryData<string, int> Clips => TestClips.All();

    [Theory]
    [MemberData(nameof(Clips))]
    public void Decoding_a_file_sox_encoded_matches_sox_sample_for_sample(string name, int rate)
    {
        var clip = TestClips.Get(name, rate);
        string wav = TestClips.Scratch("sox.wav");
        AudioTools.SoxEncodeImaAdpcm(clip.RawPath, rate, wav);

        var ours = AdpcmWavFile.Decode(File.ReadAllBytes(wav), wholeBlocks: true);
        var sox = AudioTools.SoxDecode(wav, TestClips.Scratch("sox.raw"));

        AssertSameSamples(sox, ours, clip.Samples.Length);
    }

    [Theory]
    [MemberData(nameof(Clips))]
    public void Sox_decodes_our_321_sample_blocks_exactly_as_we_do(string name, int rate)
    {
        var clip = TestClips.Get(name, rate);
        foreach (var file in new[]
                 {
                     AdpcmWavFile.Encode(clip.Samples, rate, ImaAdpcm.DefaultSamplesPerBlock, new ImaAdpcmEncoder().EncodeBlock),
                     AdpcmWavFile.Encode(clip.Samples, rate, ImaAdpcm.DefaultSamplesPerBlock, new ImaAdpcmTrellisEncoder().EncodeBlock),
                 })
        {
            string wav = TestClips.Scratch("ours.wav");
            File.WriteAllBytes(wav, file);

            var ours = AdpcmWavFile.Decode(file, wholeBlocks: true);
            var sox = AudioTools.SoxDecode(wav, TestClips.Scratch("ours.raw"));

            AssertSameSamples(sox, ours, clip.Samples.Length);
        }
    }

    private static void AssertSameSamples(short[] sox, short[] ours, int clipLength)
    {
        // sox ignores the fact chunk when it reads and decodes whole blocks, padding included: so do we here.
        Assert.InRange(ours.Length, clipLength, clipLength + 1024);
        Assert.Equal(ours.Length, sox.Length);
        int first = SignalToNoise.FirstDifference(sox, ours, ours.Length);
        Assert.True(first < 0, first < 0 ? "" : $"first difference at sample {first}: sox {sox[first]}, ours {ours[first]}");
    }
}
