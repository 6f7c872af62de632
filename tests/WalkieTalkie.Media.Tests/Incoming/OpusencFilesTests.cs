using System.Globalization;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;
using Xunit.Abstractions;

namespace WalkieTalkie.Media.Tests.Incoming;

/// <summary>Voice messages as phones make them, here made by opusenc: read and decoded by us, judged against opusdec.</summary>
public sealed class OpusencFilesTests(ITestOutputHelper log)
{
    /// <summary>Measured 0.9999 to 1.0000 for every case below (both decode at 48 kHz; only the resamplers differ): see docs/voice-messages.md.</summary>
    private const double MinAgreement = 0.995;

    public static TheoryData<int, int, int> Cases()
    {
        var cases = new TheoryData<int, int, int>();
        foreach (int input in new[] { 8000, 16000, 44100, 48000 })
        {
            foreach (int channels in new[] { 1, 2 })
            {
                foreach (int channel in new[] { 8000, 16000 })
                {
                    cases.Add(input, channels, channel);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_decode_agrees_with_opusdec(int inputRate, int channels, int channelRate)
    {
        using var folder = new TempFolder();
        string input = TestAudio.SpeechAt(folder, inputRate, channels);
        string opus = folder.File("message.opus");
        ExternalTool.Check("opusenc", "--quiet", "--bitrate", "24", input, opus);
        byte[] file = File.ReadAllBytes(opus);

        OggOpusFile parsed = OggOpusFile.Read(file);
        Assert.Equal(channels, parsed.Head.Channels);
        Assert.Equal(inputRate, parsed.Head.InputSampleRate);

        short[] ours = VoiceMessageDecoder.ToPcm(file, channelRate);

        string reference = folder.File("opusdec.wav");
        ExternalTool.Check("opusdec", "--quiet", "--no-dither", opus, reference);
        short[] theirs = TestAudio.Pcm(folder, reference, channelRate);
        // opusenc keeps the input's length exactly (end trimming); at the channel's rate that is the input's length rescaled.
        short[] original = TestAudio.Pcm(folder, input, channelRate);

        log.WriteLine($"rms ours {Similarity.Rms(ours):F0} theirs {Similarity.Rms(theirs):F0} original {Similarity.Rms(original):F0}; lengths {ours.Length} {theirs.Length} {original.Length}");
        Assert.Equal(theirs.Length, ours.Length);
        Assert.Equal(original.Length, ours.Length);
        var (agreement, lag) = Similarity.BestCorrelation(theirs, ours, 8);
        double atZero = Similarity.CorrelationAt(theirs, ours, 0);
        double toOriginal = Similarity.CorrelationAt(original, ours, 0);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputRate} Hz x{channels} -> {channelRate} Hz: {ours.Length} samples; agreement with opusdec {atZero:F4} at lag 0 (best {agreement:F4} at {lag}); with the input {toOriginal:F4}"));
        Assert.True(atZero >= MinAgreement, $"agreement {atZero:F4} below {MinAgreement}");
    }
}
