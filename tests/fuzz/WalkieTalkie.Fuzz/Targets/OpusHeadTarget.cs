using System.Buffers.Binary;
using WalkieTalkie.Media;
using WalkieTalkie.Media.Opus;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="OpusHead.Parse"/> on one packet; it refuses with <see cref="MediaFormatException"/> only. An accepted
/// header of exactly <see cref="OpusHead.Length"/> bytes and version 1 must write back to the same bytes (when its input
/// rate fits the record's int).
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

        // The informational input rate is a u32 that the record holds as an int: Parse clamps it (first found as a
        // "crash" of this check), so only a rate that fits writes back unchanged.
        var rateFits = BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(12)) <= int.MaxValue;
        if (input.Length == OpusHead.Length && input[8] == 1 && rateFits && !head.ToPacket().AsSpan().SequenceEqual(input))
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
