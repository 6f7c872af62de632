using WalkieTalkie.Media;
using WalkieTalkie.Media.Opus;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="OpusHead.Parse"/> on one packet; it refuses with <see cref="MediaFormatException"/> only. An accepted
/// header of exactly <see cref="OpusHead.Length"/> bytes and version 1 must write back to the same bytes.
/// </summary>
public sealed class OpusHeadTarget : FuzzTarget
{
    public override string Description => "OpusHead.Parse (RFC 7845 identification header)";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Media"];

    public override FuzzOutcome Run(byte[] input)
    {
        OpusHead head;
        try
        {
            head = OpusHead.Parse(input);
        }
        catch (MediaFormatException)
        {
            return FuzzOutcome.Refused;
        }

        if (input.Length == OpusHead.Length && input[8] == 1 && !head.ToPacket().AsSpan().SequenceEqual(input))
        {
            throw new FuzzInvariantException("an accepted OpusHead writes back as other bytes");
        }

        return FuzzOutcome.Accepted;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        foreach (var seed in WithTruncations(new OpusHead(1, 312, 8000, 0).ToPacket(), OpusHead.Magic.Length))
        {
            yield return seed;
        }

        yield return new OpusHead(2, 3840, 48000, -256).ToPacket();
    }
}
