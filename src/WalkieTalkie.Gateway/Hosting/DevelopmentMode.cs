using Microsoft.Extensions.Configuration;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// <c>walkie run --dev</c>: <c>Gateway:Development=true</c>, and the plain ports MQTT 1883 and HTTP 8080 beside the TLS
/// ones unless the settings name them. Badge secrets and voices then cross the network in clear, so the gateway
/// says so at start; without it a plain port is refused.
/// </summary>
public static class DevelopmentMode
{
    public const int PlainMqttPort = 1883;
    public const int PlainHttpPort = 8080;

    /// <summary>What <c>--dev</c> adds to <paramref name="configuration"/> (which it reads for ports already set).</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Settings(IConfiguration configuration)
    {
        var settings = new List<KeyValuePair<string, string?>> { new("Gateway:Development", "true") };
        if (configuration["Mqtt:Port"] is null)
        {
            settings.Add(new("Mqtt:Port", PlainMqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (configuration["Http:Port"] is null)
        {
            settings.Add(new("Http:Port", PlainHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return settings;
    }

    public static string PlainPortRefused(string setting) =>
        $"{setting} is a plain (unencrypted) port, for development only: add --dev (Gateway:Development=true), or use the TLS port";
}
