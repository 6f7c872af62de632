using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A TCP forwarder between a gateway and its external broker that reads the broker's MQTT packets and, once
/// <see cref="Withhold"/> is called, drops every PUBACK: the broker node goes on taking the gateway's publishes (and
/// delivering them), answering its pings and sending it the badges' messages, but acknowledges nothing, as a node whose
/// queue cannot confirm (a quorum lost) or a connection half dead. On threads of its own (<see cref="LoopbackForwarder"/>).
/// </summary>
public sealed class PubackWithholdingLink(int targetPort) : LoopbackForwarder(targetPort, "puback withholding link")
{
    private const byte PubAck = 4;

    private volatile bool _withholding;
    private int _withheld;

    /// <summary>PUBACKs dropped so far.</summary>
    public int Withheld => Volatile.Read(ref _withheld);

    /// <summary>Drops every PUBACK from the broker from now on.</summary>
    public void Withhold() => _withholding = true;

    protected override void Pump(Socket from, Socket to, bool towardsTarget)
    {
        if (towardsTarget)
        {
            CopyBytes(from, to);
        }
        else
        {
            CopyPackets(from, to);
        }
    }

    private static void CopyBytes(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = from.Receive(buffer)) > 0)
        {
            to.Send(buffer, 0, read, SocketFlags.None);
        }
    }

    // The broker's side, packet by packet: a fixed header byte, the remaining length (7 bits a byte, low first, the top
    // bit saying another follows), then that many bytes.
    private void CopyPackets(Socket from, Socket to)
    {
        var header = new byte[5];
        while (true)
        {
            ReadExactly(from, header, 0, 1);
            var headerLength = 1;
            var remaining = 0;
            var shift = 0;
            byte next;
            do
            {
                ReadExactly(from, header, headerLength, 1);
                next = header[headerLength++];
                remaining |= (next & 0x7F) << shift;
                shift += 7;
            }
            while ((next & 0x80) != 0 && headerLength < header.Length);

            var packet = new byte[headerLength + remaining];
            Array.Copy(header, packet, headerLength);
            ReadExactly(from, packet, headerLength, remaining);
            if (_withholding && header[0] >> 4 == PubAck)
            {
                Interlocked.Increment(ref _withheld);
                continue;
            }

            to.Send(packet, 0, packet.Length, SocketFlags.None);
        }
    }

    private static void ReadExactly(Socket from, byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            var read = from.Receive(buffer, offset, count, SocketFlags.None);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            offset += read;
            count -= read;
        }
    }
}
