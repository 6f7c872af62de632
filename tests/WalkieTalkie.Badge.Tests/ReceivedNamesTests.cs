using System.Reflection;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Gateway.Tests.Architecture;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Badge.Tests;

/// <summary>
/// Issue 11, item 14: names a badge receives (talkers, channels, who offered a permit) stay the UTF-8 bytes they came
/// in. nanoFramework's interpreter returns the high surrogate twice when a string with a character outside the BMP is
/// read char by char, so a badge that decoded a name and encoded it again sent each emoji on as two U+FFFD. The
/// rules are checked on the compiled IL (what runs on the device is the same code), and the bytes are checked to
/// survive a read and a write.
/// </summary>
public class ReceivedNamesTests
{
    // "Dad 👨‍🍳" and a name of exactly 64 bytes ending in an emoji.
    private static readonly string[] Names = ["Dad \U0001F468\u200D\U0001F373", new string('a', 60) + "\U0001F600", "", "Anna"];

    [Fact]
    public void Reading_a_downlink_message_keeps_its_names_as_bytes_and_never_decodes_them()
    {
        var decoders = new MethodBase[]
        {
            typeof(PacketReader).GetMethod(nameof(PacketReader.ReadString))!,
            typeof(Utf8).GetMethod(nameof(Utf8.Decode))!,
        };
        var downlink = typeof(ControlMessage).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ControlMessage)) && !t.IsAbstract)
            .Where(t => MessageType.IsDownlink(((ControlMessage)Activator.CreateInstance(t)!).Type))
            .ToList();
        Assert.Contains(typeof(BurstStart), downlink);
        var offenders = downlink
            .SelectMany(t => MethodReferences.WithNested(t).SelectMany(MethodReferences.MethodsOf))
            .Where(m => m.Name == "ReadBody")
            .SelectMany(m => MethodReferences.Of(m).Where(r => decoders.Contains(r.Member)).Select(r => $"{m.DeclaringType!.Name}.{m.Name} calls {r.Member.Name}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_badge_never_turns_a_received_name_into_a_string_or_encodes_one()
    {
        var forbidden = new MemberInfo[]
        {
            typeof(Utf8).GetMethod(nameof(Utf8.Encode))!,
            typeof(Utf8).GetMethod(nameof(Utf8.GetByteCount))!,
            typeof(Utf8).GetMethod(nameof(Utf8.Decode))!,
            typeof(PacketWriter).GetMethod(nameof(PacketWriter.WriteString))!,
            typeof(WireText).GetProperty(nameof(WireText.Text))!.GetMethod!,
            typeof(WireText).GetProperty(nameof(WireText.Text))!.SetMethod!,
            typeof(BurstStart).GetProperty(nameof(BurstStart.Talker))!.GetMethod!,
            typeof(UnplayedEntry).GetProperty(nameof(UnplayedEntry.Talker))!.GetMethod!,
            typeof(PermitOffer).GetProperty(nameof(PermitOffer.OfferedBy))!.GetMethod!,
            typeof(ChannelConfig).GetProperty(nameof(ChannelConfig.Name))!.GetMethod!,
        };
        var offenders = typeof(BadgeController).Assembly.GetTypes()
            .SelectMany(MethodReferences.MethodsOf)
            .SelectMany(m => MethodReferences.Of(m).Where(r => forbidden.Contains(r.Member)).Select(r => $"{m.DeclaringType!.FullName}.{m.Name} uses {r.Member.Name}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Names_read_from_the_wire_are_written_back_byte_for_byte()
    {
        var reader = new ControlMessageReader();
        foreach (var name in Names)
        {
            var wire = System.Text.Encoding.UTF8.GetBytes(name);
            foreach (var message in MessagesNaming(name))
            {
                var buffer = new byte[ControlMessage.MaxLength];
                var length = message.Write(buffer, 0, buffer.Length);
                Assert.Equal(WalkieTalkie.Protocol.ProtocolError.None, reader.Read(buffer, 0, length, ControlDirection.Downlink));
                var received = reader.Message!;
                var text = TextOf(received);
                Assert.True(text.IsFromWire);
                Assert.Equal(wire.Length, text.ByteCount);
                var copy = new byte[64];
                Assert.Equal(wire.Length, text.CopyTo(copy, 0));
                Assert.Equal(wire, copy[..wire.Length]);

                var again = new byte[ControlMessage.MaxLength];
                var againLength = received.Write(again, 0, again.Length);
                Assert.Equal(buffer[..length], again[..againLength]);
                Assert.Equal(name, text.Text); // decoded only when asked (the gateway, logs, tests)
            }
        }
    }

    [Fact]
    public void What_nanoFramework_hands_out_for_an_emoji_encodes_as_two_replacement_characters()
    {
        // The interpreter's chars for "😀" (U+1F600): the high surrogate twice. This is why a badge keeps the bytes.
        var asSeenOnTheDevice = "\uD83D\uD83D";
        var buffer = new byte[8];
        var written = Utf8.Encode(asSeenOnTheDevice, buffer, 0);
        Assert.Equal(new byte[] { 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD }, buffer[..written]);
    }

    private static IEnumerable<ControlMessage> MessagesNaming(string name)
    {
        yield return new BurstStart { Channel = 1, BurstId = 7, RateCode = 1, Talker = name };
        yield return new PermitOffer { Channel = 1, Permits = Permits.Receive, OfferedBy = name };
        yield return new UnplayedList { Entries = [new UnplayedEntry { BurstId = 3, Channel = 1, Talker = name }] };
        yield return new Config
        {
            Version = 1, MaxTalkSeconds = 30, BlocksPerFrame = 2,
            Channels = [new ChannelConfig { Channel = 1, RateCode = 1, Name = name }],
        };
    }

    private static WireText TextOf(ControlMessage message) => message switch
    {
        BurstStart start => start.TalkerText,
        PermitOffer offer => offer.OfferedByText,
        UnplayedList list => list.Entries[0].TalkerText,
        Config config => config.Channels[0].NameText,
        _ => throw new ArgumentException(message.GetType().Name),
    };
}
