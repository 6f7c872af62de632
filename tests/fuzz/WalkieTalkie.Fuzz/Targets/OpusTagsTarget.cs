using WalkieTalkie.Media;
using WalkieTalkie.Media.Opus;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="OpusTags.Parse"/> on one packet; it refuses with <see cref="MediaFormatException"/> only. An accepted
/// header, written back and parsed again, must give the same vendor and comments.
/// </summary>
public sealed class OpusTagsTarget : FuzzTarget
{
    public override string Description => "OpusTags.Parse (RFC 7845 comment header)";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Media"];

    public override FuzzOutcome Run(byte[] input)
    {
        OpusTags tags;
        try
        {
            tags = OpusTags.Parse(input);
        }
        catch (MediaFormatException)
        {
            return FuzzOutcome.Refused;
        }

        var again = OpusTags.Parse(tags.ToPacket());
        if (again.Vendor != tags.Vendor || !again.Comments.SequenceEqual(tags.Comments))
        {
            throw new FuzzInvariantException("an accepted OpusTags reads back differently after writing it");
        }

        return FuzzOutcome.Accepted;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        var tags = new OpusTags("WalkieTalkie gateway (Concentus, managed)", ["TITLE=Walkie burst", "ARTIST=Anna 🙂", "ENCODER=fuzz"]);
        foreach (var seed in WithTruncations(tags.ToPacket(), OpusTags.Magic.Length + 4))
        {
            yield return seed;
        }

        yield return new OpusTags("", []).ToPacket();
    }
}
