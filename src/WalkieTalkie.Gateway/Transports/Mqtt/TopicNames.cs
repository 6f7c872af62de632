using System.Text;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A connection's topics as strings, made once: a badge publishes to the same three topics all its life, so the string
/// for a topic's bytes is found among the last few seen instead of decoded for every frame. A topic not among them
/// is decoded as MQTTnet decodes it (UTF-8, invalid bytes replaced) and takes the place of the oldest.
/// </summary>
public sealed class TopicNames
{
    private const int Kept = 4;
    private readonly byte[][] _bytes = new byte[Kept][];
    private readonly string[] _names = new string[Kept];
    private int _next;

    public string Of(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < Kept; i++)
        {
            if (_bytes[i] is { } known && utf8.SequenceEqual(known))
            {
                return _names[i];
            }
        }

        var name = Encoding.UTF8.GetString(utf8);
        _bytes[_next] = utf8.ToArray();
        _names[_next] = name;
        _next = (_next + 1) % Kept;
        return name;
    }
}
