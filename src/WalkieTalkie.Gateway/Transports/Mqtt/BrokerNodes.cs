namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>One node of the external broker: where the gateway connects.</summary>
public sealed record BrokerNode(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>
/// The external broker's nodes as <c>Mqtt:ExternalNodes</c> lists them: <c>host</c> or <c>host:port</c> (an IPv6
/// address in brackets, <c>[::1]:1883</c>), separated by commas, a missing port being <c>Mqtt:ExternalPort</c>.
/// Without the list, the one node <c>Mqtt:ExternalHost</c> and <c>Mqtt:ExternalPort</c> name.
/// </summary>
public static class BrokerNodes
{
    /// <summary>The nodes, or null with <paramref name="error"/> saying which entry is wrong.</summary>
    public static IReadOnlyList<BrokerNode>? Parse(string? list, string host, int port, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(list))
        {
            return [new BrokerNode(host, port)];
        }

        var nodes = new List<BrokerNode>();
        foreach (var entry in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (ParseOne(entry, port) is not { } node)
            {
                error = $"Mqtt:ExternalNodes has '{entry}': each node is host or host:port (port 1-65535; an IPv6 address in brackets), separated by commas";
                return null;
            }

            nodes.Add(node);
        }

        return nodes;
    }

    private static BrokerNode? ParseOne(string entry, int defaultPort)
    {
        string host;
        string? port = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']');
            if (close < 2)
            {
                return null;
            }

            host = entry[1..close];
            var rest = entry[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return null;
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = entry.IndexOf(':');
            if (colon >= 0 && entry.LastIndexOf(':') != colon)
            {
                return null; // an IPv6 address without brackets: where its port starts is unclear
            }

            host = colon < 0 ? entry : entry[..colon];
            port = colon < 0 ? null : entry[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            return null;
        }

        if (port is null)
        {
            return new BrokerNode(host, defaultPort);
        }

        return int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number is >= 1 and <= 65535
            ? new BrokerNode(host, number)
            : null;
    }
}
