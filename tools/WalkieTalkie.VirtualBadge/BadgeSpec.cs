using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.VirtualBadge.Cli;

/// <summary>
/// One <c>--badge</c> value: <c>ID[,mic=FILE][,ptt=PRESS-RELEASE;...][,out=FILE][,password=SECRET][,channels=N:RATE+N:RATE]</c>.
/// </summary>
internal sealed record BadgeSpec(string Id, string? Mic, PttScript? Ptt, string? Out, string? Password, IReadOnlyList<VirtualChannel>? Channels)
{
    public static BadgeSpec Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        string? mic = null, output = null, password = null;
        PttScript? ptt = null;
        IReadOnlyList<VirtualChannel>? channels = null;
        foreach (var part in parts.Skip(1))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new VirtualBadgeException($"--badge '{text}': '{part}' is not KEY=VALUE");
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "mic": mic = value; break;
                case "ptt": ptt = PttScript.Parse(value); break;
                case "out": output = value; break;
                case "password": password = value; break;
                case "channels": channels = value.Split('+').Select(VirtualChannel.Parse).ToList(); break;
                default: throw new VirtualBadgeException($"--badge '{text}': unknown key '{part[..equals]}' (mic, ptt, out, password, channels)");
            }
        }

        return new BadgeSpec(parts[0], mic, ptt, output, password, channels);
    }
}
