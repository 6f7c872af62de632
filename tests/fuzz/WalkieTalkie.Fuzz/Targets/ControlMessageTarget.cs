using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="ControlMessageReader.Read"/> on one payload as an uplink (what the gateway reads from a badge) and as a
/// downlink (what a badge reads from the gateway). The reader never throws; a refusal is a <see cref="ProtocolError"/>.
/// An accepted message must write back to exactly the bytes it was read from (the format has one encoding).
/// </summary>
public sealed class ControlMessageTarget : FuzzTarget
{
    private readonly ControlMessageReader _reader = new();

    public override string Description => "ControlMessageReader.Read, uplink and downlink, every message type";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Protocol"];

    public override FuzzOutcome Run(byte[] input)
    {
        var uplink = Read(input, ControlDirection.Uplink);
        var downlink = Read(input, ControlDirection.Downlink);
        return uplink == FuzzOutcome.Accepted || downlink == FuzzOutcome.Accepted ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }

    private FuzzOutcome Read(byte[] input, ControlDirection direction)
    {
        if (_reader.Read(input, 0, input.Length, direction) != ProtocolError.None)
        {
            return FuzzOutcome.Refused;
        }

        var written = _reader.Message.ToBytes();
        if (!written.AsSpan().SequenceEqual(input))
        {
            throw new FuzzInvariantException(
                $"an accepted {direction} message of type 0x{_reader.Message.Type:X2} writes back as {written.Length} other bytes ({input.Length} read)");
        }

        return FuzzOutcome.Accepted;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        foreach (var message in Messages())
        {
            var bytes = message.ToBytes();
            yield return bytes;
            if (bytes.Length > 3)
            {
                yield return Truncated(bytes, bytes.Length - 1);
            }
        }
    }

    private static IEnumerable<ControlMessage> Messages()
    {
        yield return new FloorRequest { Channel = 1, Flags = FloorRequest.EmergencyFlag };
        yield return new FloorRelease { Channel = 1, BurstId = 77, FrameCount = 120 };
        yield return new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 600 };
        yield return new PlayRequest { BurstId = 78 };
        yield return new Played { BurstId = 78 };
        yield return new PermitAccept { Channel = 2, Permits = Permits.Known };
        yield return new PermitWithdraw { Channel = 2, Permits = Permits.Send };
        yield return new BadgeState
        {
            Status = BadgeStatus.Listening, Channel = 2, BatteryMillivolts = 3900, BatteryPercent = 80, Rssi = -61, Firmware = "1.4.0-ß",
        };
        yield return new FloorGranted { Channel = 1, BurstId = 79, MaxTalkSeconds = 30 };
        yield return new FloorDenied { Channel = 1, Reason = DenyReason.Busy, RetryAfterSeconds = 3 };
        yield return new FloorRevoked { Channel = 1, BurstId = 79, Reason = EndReason.Preempted };
        yield return new BurstStart
        {
            Channel = 1, BurstId = 80, RateCode = 1, Flags = BurstFlags.Known, RecordedAt = 1_700_000_000, Talker = "Anna 🙂",
        };
        yield return new BurstEnd { Channel = 1, BurstId = 80, Reason = EndReason.MaxTalkTime, FrameCount = 250 };
        yield return new Wake { Reason = WakeReason.Unplayed, Channel = 3, BurstId = 81 };
        yield return new UnplayedList
        {
            Entries =
            [
                new UnplayedEntry { BurstId = 1, Channel = 1, DurationMs = 2300, RecordedAt = 1_700_000_100, Talker = "mum" },
                new UnplayedEntry { BurstId = 2, Channel = 2, DurationMs = 900, RecordedAt = 1_700_000_200, Talker = "Zoë" },
            ],
        };
        yield return new PermitOffer { Channel = 4, Permits = Permits.Receive, Until = 1_700_003_600, OfferedBy = "@dad:example.org" };
        yield return new PermitRevoked { Channel = 4, Permits = Permits.Known, Reason = RevokeReason.Expired };
        yield return new Config
        {
            Version = 9, CheckInSeconds = 900, MaxTalkSeconds = 60, BlocksPerFrame = 2, Order = PlaybackOrder.NewestChannelFirst,
            Channels =
            [
                new ChannelConfig { Channel = 1, RateCode = 0, Permits = Permits.Known, PermitUntil = Permits.Forever, Name = "family" },
                new ChannelConfig { Channel = 2, RateCode = 1, Permits = 0, PermitUntil = 0, Name = "shop floor" },
            ],
        };
    }
}
