using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Tests.Support;
using WalkieTalkie.Media.VoiceMessages;
using Xunit.Abstractions;

namespace WalkieTalkie.Media.Tests.Incoming;

/// <summary>The page layouts opusenc can write: one packet per page, packets across pages, long frames, a comment header over several pages.</summary>
public sealed class PageLayoutTests(ITestOutputHelper log)
{
    /// <summary>
    /// opusenc (libopusenc) never splits an audio packet across pages, but libogg-based writers do when a page's 255
    /// lacing values run out: the same audio repaginated onto pages of 7 or 100 lacing values must decode the same.
    /// </summary>
    [Theory]
    [InlineData(7)]
    [InlineData(100)]
    public void Packets_split_across_pages_are_joined(int segmentsPerPage)
    {
        using var folder = new TempFolder();
        string opus = folder.File("message.opus");
        ExternalTool.Check("opusenc", "--quiet", "--bitrate", "128", TestAudio.SpeechAt(folder, 48000, 2), opus);
        byte[] original = File.ReadAllBytes(opus);
        byte[] split = OggEdit.Repaginate(original, segmentsPerPage);
        Assert.True(OggEdit.HasContinuedPage(split));
        Assert.Equal(0, ExternalTool.Run("opusinfo", WriteTo(folder, "split.opus", split)).ExitCode);

        Assert.Equal(VoiceMessageDecoder.ToPcm(original, 16000), VoiceMessageDecoder.ToPcm(split, 16000));
    }

    private static string WriteTo(TempFolder folder, string name, byte[] bytes)
    {
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("one packet a page", new[] { "--max-delay", "0" })]
    [InlineData("2.5 ms frames", new[] { "--framesize", "2.5" })]
    [InlineData("60 ms frames", new[] { "--framesize", "60" })]
    [InlineData("tags over two pages", new[] { "--comment", "LONG=" })]
    public void Every_layout_decodes_like_opusdec(string layout, string[] options)
    {
        using var folder = new TempFolder();
        string input = TestAudio.SpeechAt(folder, 48000, 1);
        string opus = folder.File("message.opus");
        var arguments = new List<string> { "--quiet" };
        arguments.AddRange(options);
        if (layout.StartsWith("tags", StringComparison.Ordinal))
        {
            // More than 255 × 255 bytes of comment: the OpusTags packet cannot fit one page.
            arguments[^1] += new string('x', 70_000);
        }

        arguments.Add(input);
        arguments.Add(opus);
        ExternalTool.Check("opusenc", [.. arguments]);
        byte[] file = File.ReadAllBytes(opus);
        var pages = OggEdit.Pages(file);
        log.WriteLine($"{layout}: {file.Length} bytes, {pages.Count} pages, continued pages: {OggEdit.HasContinuedPage(file)}");
        if (layout is "tags over two pages")
        {
            Assert.True(OggEdit.HasContinuedPage(file), "the layout under test did not happen");
        }

        short[] ours = VoiceMessageDecoder.ToPcm(file, 16000);
        string reference = folder.File("opusdec.wav");
        ExternalTool.Check("opusdec", "--quiet", "--no-dither", opus, reference);
        short[] theirs = TestAudio.Pcm(folder, reference, 16000);

        Assert.Equal(theirs.Length, ours.Length);
        double agreement = Similarity.CorrelationAt(theirs, ours, 0);
        log.WriteLine($"agreement with opusdec {agreement:F4}");
        Assert.True(agreement >= 0.995, $"agreement {agreement:F4}");
        if (layout.StartsWith("tags", StringComparison.Ordinal))
        {
            Assert.Contains(OggOpusFile.Read(file).Tags.Comments, c => c.StartsWith("LONG=xxx", StringComparison.Ordinal) && c.Length == 70_005);
        }
    }
}
