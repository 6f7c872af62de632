using System.Text;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// What a name in the registry may be (a badge's display name, a channel's name, who offered a permit): text that
/// badges show and the protocol carries, so 1 to <see cref="PacketReader.MaxStringBytes"/> bytes of UTF-8, not
/// blank, no control characters.
/// </summary>
public static class RegistryNames
{
    /// <exception cref="RegistryException">The name is blank, too long or holds a control character.</exception>
    public static void Check(string what, string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RegistryException($"{what} may not be empty");
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > PacketReader.MaxStringBytes)
        {
            throw new RegistryException($"{what} is {bytes} bytes of UTF-8; at most {PacketReader.MaxStringBytes} fit on a badge");
        }

        if (name.Any(char.IsControl))
        {
            throw new RegistryException($"{what} may not hold control characters");
        }
    }
}
