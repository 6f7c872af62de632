using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Protocol.Tests.Messages;

public class ControlMessageTests
{
    private readonly ControlMessageReader _reader = new();

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Every_message_round_trips_to_the_same_bytes(string name)
    {
        var message = SampleMessages.Named(name);
        var bytes = message.ToBytes();

        Assert.Equal(ProtocolError.None, _reader.Read(bytes, 0, bytes.Length, SampleMessages.DirectionOf(message)));
        Assert.IsType(message.GetType(), _reader.Message);
        Assert.Equal(bytes, _reader.Message!.ToBytes());
    }

    [Fact]
    public void A_floor_denied_for_a_collision_across_sites_reads_back()
    {
        var bytes = new FloorDenied { Channel = 2, Reason = DenyReason.Collision }.ToBytes();
        Assert.Equal(new byte[] { 1, MessageType.FloorDenied, 2, 5, 0, 0 }, bytes);

        Assert.Equal(ProtocolError.None, _reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink));
        Assert.Equal(DenyReason.Collision, Assert.IsType<FloorDenied>(_reader.Message).Reason);
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Every_truncation_is_refused_as_truncated(string name)
    {
        var message = SampleMessages.Named(name);
        var bytes = message.ToBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(ProtocolError.Truncated, _reader.Read(bytes, 0, length, SampleMessages.DirectionOf(message)));
            Assert.Null(_reader.Message);
        }
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void A_trailing_byte_is_refused(string name)
    {
        var message = SampleMessages.Named(name);
        var bytes = message.ToBytes().Append((byte)0).ToArray();
        Assert.Equal(ProtocolError.TrailingBytes, _reader.Read(bytes, 0, bytes.Length, SampleMessages.DirectionOf(message)));
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void A_message_from_the_wrong_side_is_refused(string name)
    {
        var message = SampleMessages.Named(name);
        var bytes = message.ToBytes();
        var wrongSide = SampleMessages.DirectionOf(message) == ControlDirection.Uplink ? ControlDirection.Downlink : ControlDirection.Uplink;
        Assert.Equal(ProtocolError.UnknownType, _reader.Read(bytes, 0, bytes.Length, wrongSide));
    }

    [Fact]
    public void Another_version_is_refused_even_when_truncated()
    {
        Assert.Equal(ProtocolError.UnknownVersion, _reader.Read([2, MessageType.FloorRequest, 1, 0], 0, 4, ControlDirection.Uplink));
        Assert.Equal(ProtocolError.UnknownVersion, _reader.Read([0], 0, 1, ControlDirection.Uplink));
    }

    [Fact]
    public void An_unknown_type_is_refused()
    {
        Assert.Equal(ProtocolError.UnknownType, _reader.Read([1, 0x7F, 0, 0], 0, 4, ControlDirection.Uplink));
        Assert.Equal(ProtocolError.UnknownType, _reader.Read([1, 0x01], 0, 2, ControlDirection.Downlink));
    }

    [Fact]
    public void A_payload_over_the_limit_is_refused_unread()
    {
        var bytes = new byte[ControlMessage.MaxLength + 1];
        bytes[0] = 1;
        bytes[1] = MessageType.FloorRequest;
        Assert.Equal(ProtocolError.Oversized, _reader.Read(bytes, 0, bytes.Length, ControlDirection.Uplink));
    }

    [Fact]
    public void A_buffer_range_outside_the_array_is_refused_not_thrown()
    {
        var bytes = new FloorRequest { Channel = 1 }.ToBytes();
        Assert.Equal(ProtocolError.Truncated, _reader.Read(bytes, 2, bytes.Length, ControlDirection.Uplink));
        Assert.Equal(ProtocolError.Truncated, _reader.Read(bytes, -1, 2, ControlDirection.Uplink));
        Assert.Equal(ProtocolError.Truncated, _reader.Read(null!, 0, 0, ControlDirection.Uplink));
    }

    [Fact]
    public void Talker_options_keep_bits_a_newer_gateway_may_add_and_read_the_override()
    {
        byte[] payload = [1, MessageType.TalkerOptions, 0x81];
        Assert.Equal(ProtocolError.None, _reader.Read(payload, 0, payload.Length, ControlDirection.Downlink));
        var options = Assert.IsType<TalkerOptions>(_reader.Message);
        Assert.True(options.MayOverride);

        byte[] none = [1, MessageType.TalkerOptions, 0x80];
        Assert.Equal(ProtocolError.None, _reader.Read(none, 0, none.Length, ControlDirection.Downlink));
        Assert.False(((TalkerOptions)_reader.Message).MayOverride);
    }

    [Theory]
    [InlineData(new byte[] { 1, MessageType.FloorRequest, 1, 0x80 })]            // reserved flag bit
    [InlineData(new byte[] { 1, MessageType.FloorDenied, 1, 9, 0, 0 })]           // unknown deny reason
    [InlineData(new byte[] { 1, MessageType.FloorDenied, 1, 6, 0, 0 })]           // the deny reason after collision
    [InlineData(new byte[] { 1, MessageType.FloorRevoked, 1, 1, 0, 0, 0, 0 })]    // end reason 0
    [InlineData(new byte[] { 1, MessageType.PermitOffer, 1, 0, 0, 0, 0, 0, 0 })]  // empty permit
    [InlineData(new byte[] { 1, MessageType.PermitOffer, 1, 4, 0, 0, 0, 0, 0 })]  // unknown permit bit
    [InlineData(new byte[] { 1, MessageType.SleepAnnouncement, 3, 0, 0, 0, 0 })]  // unknown sleep mode
    [InlineData(new byte[] { 1, MessageType.BadgeState, 1, 0, 0, 0, 101, 0, 0 })] // battery over 100 %
    [InlineData(new byte[] { 1, MessageType.BadgeState, 1, 0, 0, 0, 50, 5, 0 })]  // positive RSSI
    [InlineData(new byte[] { 1, MessageType.FloorGranted, 1, 1, 0, 0, 0, 0, 0 })] // zero talk time
    [InlineData(new byte[] { 1, MessageType.ChannelOptions, 1, 1, 0x02 })]        // unknown channel flag
    [InlineData(new byte[] { 1, MessageType.ChannelOptions, 2, 1, 0, 1, 1 })]     // a channel twice
    [InlineData(new byte[] { 1, MessageType.QuietState, 4, 0, 0 })]               // unknown quiet flag
    [InlineData(new byte[] { 1, MessageType.DoNotDisturb, 2 })]                   // neither on nor off
    [InlineData(new byte[] { 1, MessageType.Emergency, 2 })]                      // neither open nor cancelled
    [InlineData(new byte[] { 1, MessageType.EmergencyState, 3, 0 })]              // neither open nor closed
    [InlineData(new byte[] { 1, MessageType.AccessPoint, 1, 2, 3, 4, 5, 6, 5 })]  // positive RSSI
    [InlineData(new byte[] { 1, MessageType.ReplyGranted, 1, 1, 0, 0, 0, 0, 0, 0 })] // zero talk time
    [InlineData(new byte[] { 1, MessageType.ReplyDenied, 1, 0 })]                 // deny reason 0
    [InlineData(new byte[] { 1, MessageType.ReplyDenied, 1, 5 })]                 // unknown deny reason
    public void Values_the_protocol_does_not_allow_are_malformed(byte[] payload)
    {
        var direction = MessageType.IsUplink(payload[1]) ? ControlDirection.Uplink : ControlDirection.Downlink;
        Assert.Equal(ProtocolError.Malformed, _reader.Read(payload, 0, payload.Length, direction));
    }

    [Fact]
    public void Invalid_utf8_in_a_name_is_malformed()
    {
        // BadgeState with a firmware string of one byte 0xC0 (an overlong lead byte).
        byte[] payload = [1, MessageType.BadgeState, 1, 0, 0, 0, 50, 0, 1, 0xC0];
        Assert.Equal(ProtocolError.Malformed, _reader.Read(payload, 0, payload.Length, ControlDirection.Uplink));
    }

    [Fact]
    public void A_string_longer_than_the_limit_is_oversized()
    {
        byte[] payload = [1, MessageType.BadgeState, 1, 0, 0, 0, 50, 0, 65, .. new byte[65]];
        Assert.Equal(ProtocolError.Oversized, _reader.Read(payload, 0, payload.Length, ControlDirection.Uplink));
    }

    [Fact]
    public void A_long_name_is_cut_at_a_character_boundary_when_written()
    {
        var talker = string.Concat(Enumerable.Repeat("ü", 40)) + "x"; // 81 UTF-8 bytes
        var bytes = new BurstStart { Channel = 1, BurstId = 1, Talker = talker }.ToBytes();

        Assert.Equal(ProtocolError.None, _reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink));
        var read = (BurstStart)_reader.Message!;
        Assert.Equal(new string('ü', 32), read.Talker);
    }

    [Fact]
    public void Lists_over_their_limit_are_oversized()
    {
        byte[] unplayed = [1, MessageType.UnplayedList, UnplayedList.MaxEntries + 1];
        Assert.Equal(ProtocolError.Oversized, _reader.Read(unplayed, 0, unplayed.Length, ControlDirection.Downlink));

        byte[] config = [1, MessageType.Config, 1, 0, 0, 0, 60, 0, 30, 0, 1, 0, Config.MaxChannels + 1];
        Assert.Equal(ProtocolError.Oversized, _reader.Read(config, 0, config.Length, ControlDirection.Downlink));

        byte[] options = [1, MessageType.ChannelOptions, ChannelOptions.MaxEntries + 1];
        Assert.Equal(ProtocolError.Oversized, _reader.Read(options, 0, options.Length, ControlDirection.Downlink));
    }

    [Fact]
    public void Channel_options_give_a_channel_they_do_not_list_the_defaults()
    {
        var bytes = SampleMessages.Named("channel-options").ToBytes();
        Assert.Equal(ProtocolError.None, _reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink));
        var read = (ChannelOptions)_reader.Message!;

        Assert.Equal(ChannelFlags.EndTone, read.FlagsOf(1));
        Assert.Equal(0, read.FlagsOf(2));
        Assert.Equal(ChannelFlags.Defaults, read.FlagsOf(9));
        Assert.Equal(ChannelFlags.EndTone, ChannelFlags.Defaults);
    }

    [Fact]
    public void A_config_naming_a_channel_twice_is_malformed()
    {
        var config = (Config)SampleMessages.Named("config");
        config.Channels[1].Channel = config.Channels[0].Channel;
        var bytes = config.ToBytes();
        Assert.Equal(ProtocolError.Malformed, _reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink));
    }

    [Fact]
    public void An_unplayed_list_keeps_the_newest_entries_when_there_are_too_many()
    {
        var entries = Enumerable.Range(1, 20).Select(i => new UnplayedEntry { BurstId = (uint)i, Channel = 1, Talker = "t" }).ToArray();
        var bytes = new UnplayedList { Entries = entries }.ToBytes();

        Assert.Equal(ProtocolError.None, _reader.Read(bytes, 0, bytes.Length, ControlDirection.Downlink));
        var read = (UnplayedList)_reader.Message!;
        Assert.Equal(Enumerable.Range(5, 16).Select(i => (uint)i), read.Entries.Select(e => e.BurstId));
    }

    [Fact]
    public void Writing_into_a_buffer_too_small_reports_it()
    {
        var message = SampleMessages.Named("config");
        var length = message.ToBytes().Length;
        Assert.Equal(-1, message.Write(new byte[length - 1], 0, length - 1));
        Assert.Equal(length, message.Write(new byte[length], 0, length));
    }

    [Fact]
    public void Every_type_has_one_name_and_one_direction()
    {
        var types = SampleMessages.All().Select(m => m.Type).ToList();
        Assert.Equal(types.Count, types.Distinct().Count());
        Assert.All(types, t => Assert.True(MessageType.IsUplink(t) ^ MessageType.IsDownlink(t)));
        Assert.Equal(types.Count, types.Select(MessageType.Name).Distinct().Count());
        Assert.DoesNotContain("unknown", types.Select(MessageType.Name));
    }
}
