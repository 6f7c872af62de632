using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>The framing check under the broker: packets pass whole, however they are split; an oversized one fails from its header.</summary>
public sealed class PacketSizeLimitTests
{
    private static byte[] Packet(byte type, int bodyLength) => [type, .. RawMqttClient.RemainingLength(bodyLength), .. new byte[bodyLength]];

    private static (int Read, long? Refused) ReadAll(byte[] bytes, int chunk, int limit)
    {
        long? refused = null;
        using var stream = new PacketSizeLimit(new MemoryStream(bytes), limit, announced => refused = announced);
        var buffer = new byte[chunk];
        var total = 0;
        try
        {
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += n;
            }
        }
        catch (IOException)
        {
        }

        return (total, refused);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Packets_within_the_limit_pass_whole_however_they_are_read(int chunk)
    {
        byte[] stream = [.. Packet(0x10, 40), .. Packet(0x30, 4200), .. Packet(0xC0, 0), .. Packet(0x30, 127), .. Packet(0x30, 128), .. Packet(0x82, 20)];
        Assert.Equal((stream.Length, (long?)null), ReadAll(stream, chunk, 4352));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4096)]
    public void A_packet_announcing_more_than_the_limit_fails_before_its_length_is_handed_on(int chunk)
    {
        byte[] first = Packet(0x10, 40);
        byte[] stream = [.. first, .. Packet(0x30, 100_000_000)[..1029]];
        var (read, refused) = ReadAll(stream, chunk, 4352);
        Assert.Equal(100_000_000, refused);
        Assert.True(read <= first.Length + 4, $"{read} bytes were handed on"); // the first packet, and at most the bytes before the length's last digit
    }

    [Fact]
    public void A_length_of_more_than_four_bytes_is_refused()
    {
        Assert.Throws<IOException>(() =>
        {
            using var stream = new PacketSizeLimit(new MemoryStream([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), int.MaxValue, _ => { });
            stream.ReadExactly(new byte[6]);
        });
    }
}
