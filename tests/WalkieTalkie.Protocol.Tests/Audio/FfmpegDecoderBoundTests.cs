using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;
using Xunit.Abstractions;

namespace WalkieTalkie.Protocol.Tests.Audio;

/// <summary>
/// ffmpeg computes the IMA step difference with a multiply, (2m + 1) * step / 8, where the reference (and we,
/// and sox) add shifted steps; the multiply rounds once instead of up to four times, so its change is 0 to 3
/// larger. The step index depends only on the codes, so both decoders walk the same steps and the difference
/// is this rounding, summed over the block: it starts at 0 at every block header and grows by at most 3 a
/// sample (clamping at the rails only shrinks it). This checks that structure and the bound docs/audio.md states.
/// </summary>
public sealed class FfmpegDecoderBoundTests(ITestOutputHelper output)
{
    /// <summary>The largest |ffmpeg - ours| allowed on the test clips, per docs/audio.md (measured at most 85).</summary>
    public const int Bound = 128;

    /// <summary>How much the difference may grow from one sample to the next.</summary>
    public const int GrowthPerSample = 3;

    public static TheoryData<string, int> Clips => TestClips.All();

    [Theory]
    [MemberData(nameof(Clips))]
    public void Ffmpeg_decodes_our_blocks_within_the_stated_bound(string name, int rate)
    {
        var clip = TestClips.Get(name, rate);
        foreach (var (label, file) in new[]
                 {
                     ("badge", AdpcmWavFile.Encode(clip.Samples, rate, ImaAdpcm.DefaultSamplesPerBlock, new ImaAdpcmEncoder().EncodeBlock)),
                     ("gateway", AdpcmWavFile.Encode(clip.Samples, rate, ImaAdpcm.DefaultSamplesPerBlock, new ImaAdpcmTrellisEncoder().EncodeBlock)),
                 })
        {
            string wav = TestClips.Scratch("ours.wav");
            File.WriteAllBytes(wav, file);

            var ours = AdpcmWavFile.Decode(file, wholeBlocks: true);
            var ffmpeg = AudioTools.FfmpegDecode(wav, TestClips.Scratch("ffmpeg.raw"));

            // ffmpeg, like sox, ignores the fact chunk and decodes whole blocks.
            Assert.Equal(ours.Length, ffmpeg.Length);
            int largest = 0;
            int differing = 0;
            int previous = 0;
            for (int i = 0; i < ours.Length; i++)
            {
                int difference = Math.Abs(ffmpeg[i] - ours[i]);
                if (i % ImaAdpcm.DefaultSamplesPerBlock == 0)
                {
                    Assert.True(difference == 0, $"{label}: block header sample {i} differs by {difference}");
                }
                else
                {
                    Assert.True(difference <= previous + GrowthPerSample, $"{label}: sample {i}: difference grew from {previous} to {difference}");
                }

                previous = difference;
                largest = Math.Max(largest, difference);
                differing += difference != 0 ? 1 : 0;
            }

            output.WriteLine($"{clip} {label}: largest |ffmpeg - ours| = {largest}, {differing} of {ours.Length} samples differ");
            Assert.InRange(largest, 0, Bound);
        }
    }
}
