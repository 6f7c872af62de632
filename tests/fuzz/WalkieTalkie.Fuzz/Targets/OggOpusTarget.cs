using System.Buffers.Binary;
using WalkieTalkie.Media;
using WalkieTalkie.Media.Ogg;
using WalkieTalkie.Media.Opus;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// A phone's voice message as the bridge reads it: <see cref="OggOpusFile.Read"/> (Ogg pages, the stream reader,
/// OpusHead, OpusTags), then <see cref="OggOpusDecoder.DecodeMono"/> of an accepted file. Both refuse with
/// <see cref="MediaFormatException"/> only.
/// </summary>
/// <remarks>
/// Before parsing, the harness stamps every page it can find with its correct CRC, as a stream from an honest
/// muxer would carry: otherwise nearly every mutation would stop at the CRC check and the fuzzer would never reach
/// the page sequencing, lacing, packet joining and header rules behind it.
/// </remarks>
public sealed class OggOpusTarget : FuzzTarget
{
    // A fuzzed file may claim minutes of audio; one second is enough to exercise trimming, gain and mixing.
    private static readonly TimeSpan MaxDecodedDuration = TimeSpan.FromSeconds(1);

    public override string Description => "OggOpusFile.Read (Ogg pages, stream reader, OpusHead, OpusTags) and OggOpusDecoder, page CRCs fixed up";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Media"];

    public override FuzzOutcome Run(byte[] input)
    {
        var file = (byte[])input.Clone();
        StampPageCrcs(file);
        try
        {
            var opus = OggOpusFile.Read(file);
            OggOpusDecoder.DecodeMono(opus, 8000, MaxDecodedDuration);
            return FuzzOutcome.Accepted;
        }
        catch (MediaFormatException)
        {
            return FuzzOutcome.Refused;
        }
    }

    /// <summary>Walks the pages as far as their headers and lacing allow, writing each complete page's CRC.</summary>
    internal static void StampPageCrcs(byte[] file)
    {
        var position = 0;
        while (file.Length - position >= OggPageHeader.FixedBytes && file.AsSpan(position).StartsWith(OggPageHeader.CapturePattern))
        {
            int segments = file[position + 26];
            var headerBytes = OggPageHeader.FixedBytes + segments;
            if (file.Length - position < headerBytes)
            {
                return;
            }

            var pageBytes = headerBytes;
            for (var i = 0; i < segments; i++)
            {
                pageBytes += file[position + OggPageHeader.FixedBytes + i];
            }

            if (file.Length - position < pageBytes)
            {
                return;
            }

            var page = file.AsSpan(position, pageBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(page[OggPageHeader.CrcOffset..], OggCrc.OfPage(page));
            position += pageBytes;
        }
    }

    public override IEnumerable<byte[]> Seeds()
    {
        var small = new OpusEncoderSettings { Bitrate = 6000, PacketsPerPage = 2, Vendor = "fuzz seed" };
        var mono8k = OggOpusEncoder.Encode(SeedAudio.Tone(480, 8000), 8000, small);
        foreach (var seed in WithTruncations(mono8k, OggPageHeader.FixedBytes))
        {
            yield return seed;
        }

        yield return OggOpusEncoder.Encode(SeedAudio.Tone(320, 16000), 16000, small with { Bitrate = 8000, PacketsPerPage = 1 });
        yield return OggOpusEncoder.Encode([], 8000, small);
    }
}
