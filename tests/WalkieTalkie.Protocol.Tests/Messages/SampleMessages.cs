using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Protocol.Tests.Messages;

/// <summary>One filled-in instance of every control message, with values that exercise every field.</summary>
internal static class SampleMessages
{
    public static IEnumerable<ControlMessage> All() =>
    [
        new FloorRequest { Channel = 3, Flags = FloorRequest.EmergencyFlag },
        new FloorRelease { Channel = 3, BurstId = 0xDEADBEEF, FrameCount = 512 },
        new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 },
        new PlayRequest { BurstId = 77 },
        new Played { BurstId = 78 },
        new DoNotDisturb { On = true },
        new Emergency { Open = true },
        new EmergencyState { Open = true, Badge = "anna-badge" },
        new TalkerOptions { Flags = TalkerOptions.Override },
        AccessPointAt(-61),
        new QuietState { Flags = QuietFlags.Quiet | QuietFlags.DoNotDisturb, Waiting = 3 },
        new PermitAccept { Channel = 1, Permits = Permits.Receive | Permits.Send },
        new PermitWithdraw { Channel = 1, Permits = Permits.Send },
        new BadgeState { Status = BadgeStatus.Listening, Channel = 2, BatteryMillivolts = 3912, BatteryPercent = 81, Rssi = -67, Firmware = "1.4.0+esp32" },
        new FloorGranted { Channel = 3, BurstId = 4_000_000_000, MaxTalkSeconds = 30 },
        new FloorDenied { Channel = 3, Reason = DenyReason.TooLong, RetryAfterSeconds = 12 },
        new FloorRevoked { Channel = 3, BurstId = 9, Reason = EndReason.Preempted },
        new BurstStart { Channel = 4, BurstId = 10, RateCode = SampleRate.Wideband, Flags = BurstFlags.Priority | BurstFlags.FromMatrix, RecordedAt = 1_795_000_000, Talker = "Mama 📣 Küche" },
        new BurstEnd { Channel = 4, BurstId = 10, Reason = EndReason.MaxTalkTime, FrameCount = 750 },
        new Wake { Reason = WakeReason.Burst, Channel = 4, BurstId = 10 },
        new UnplayedList
        {
            Entries =
            [
                new UnplayedEntry { BurstId = 1, Channel = 1, DurationMs = 2400, RecordedAt = 1_795_000_000, Talker = "Anna" },
                new UnplayedEntry { BurstId = 2, Channel = 2, DurationMs = 800, RecordedAt = 1_795_000_060, Talker = "Lager Süd" },
            ],
        },
        new PermitOffer { Channel = 1, Permits = Permits.Receive, Until = 1_795_086_400, OfferedBy = "@papa:example.org" },
        new PermitRevoked { Channel = 1, Permits = Permits.Send, Reason = RevokeReason.Expired },
        new Config
        {
            Version = 7, CheckInSeconds = 120, MaxTalkSeconds = 30, BlocksPerFrame = 2, Order = PlaybackOrder.NewestChannelFirst,
            Channels =
            [
                new ChannelConfig { Channel = 1, RateCode = SampleRate.Narrowband, Permits = Permits.Receive | Permits.Send, PermitUntil = Permits.Forever, Name = "Family" },
                new ChannelConfig { Channel = 2, RateCode = SampleRate.Wideband, Permits = 0, PermitUntil = 1_795_086_400, Name = "Playground" },
            ],
        },
        new ChannelOptions
        {
            Entries =
            [
                new ChannelOption { Channel = 1, Flags = ChannelFlags.EndTone },
                new ChannelOption { Channel = 2, Flags = 0 },
            ],
        },
        new Listeners { Channel = 3, BurstId = 4_000_000_001, Live = 2, Later = 5 },
        new ReplyRequest { Channel = 2 },
        new ReplyGranted { Channel = 2, BurstId = 4_000_000_002, MaxTalkSeconds = 30, To = "Papa ☎" },
        new ReplyDenied { Channel = 2, Reason = ReplyDenyReason.Unreachable },
        new ReplyIncoming { Channel = 2, BurstId = 4_000_000_002 },
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var message in All())
        {
            data.Add(MessageType.Name(message.Type));
        }

        return data;
    }

    private static AccessPoint AccessPointAt(sbyte rssi)
    {
        var message = new AccessPoint { Rssi = rssi };
        new byte[] { 0xaa, 0xbb, 0xcc, 0x01, 0x02, 0x03 }.CopyTo(message.Bssid, 0);
        return message;
    }

    public static ControlMessage Named(string name) => All().Single(m => MessageType.Name(m.Type) == name);

    public static ControlDirection DirectionOf(ControlMessage message) =>
        MessageType.IsUplink(message.Type) ? ControlDirection.Uplink : ControlDirection.Downlink;
}
