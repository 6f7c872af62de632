using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Badges;

/// <summary>Builds a badge's <c>config</c> from the registry: its channels, rates, names and accepted permits.</summary>
public static class BadgeConfigBuilder
{
    public static Config Build(RegistrySnapshot registry, string badgeId, DateTimeOffset now, GatewayOptions options)
    {
        var channels = registry.ChannelsOf(badgeId)
            .Select(registry.Channel)
            .OfType<ChannelRecord>()
            .Take(Config.MaxChannels)
            .Select(c =>
            {
                var permit = registry.Permit(badgeId, c.Number);
                var effective = registry.EffectivePermits(badgeId, c.Number, now);
                return new ChannelConfig
                {
                    Channel = c.Number,
                    RateCode = SampleRate.FromHertz(c.SampleRate),
                    Permits = effective,
                    PermitUntil = effective == 0 || permit is null ? 0 : (uint)permit.Until,
                    Name = c.Name,
                };
            })
            .ToArray();
        var maxTalk = registry.ChannelsOf(badgeId).Select(registry.Channel).OfType<ChannelRecord>()
            .Select(c => c.MaxTalkSeconds).DefaultIfEmpty(30).Max();
        return new Config
        {
            Version = (uint)registry.Version,
            CheckInSeconds = (ushort)Math.Clamp(options.CheckInSeconds, 0, ushort.MaxValue),
            MaxTalkSeconds = (ushort)Math.Clamp(maxTalk, 1, ushort.MaxValue),
            BlocksPerFrame = (byte)Math.Clamp(options.BlocksPerFrame, 1, 8),
            Order = PlaybackOrder.InOrder,
            Channels = channels,
        };
    }

    /// <summary>The badge's per channel options, sent after its <c>config</c>: every channel of the config with its flags.</summary>
    public static ChannelOptions Options(RegistrySnapshot registry, Config config) => new()
    {
        Entries = config.Channels
            .Select(c => new ChannelOption
            {
                Channel = c.Channel,
                Flags = registry.Channel(c.Channel) is { EndTone: false } ? (byte)0 : ChannelFlags.EndTone,
            })
            .ToArray(),
    };

    /// <summary>The config's bytes without its version, to tell whether anything the badge sees changed.</summary>
    public static byte[] Content(Config config)
    {
        var version = config.Version;
        config.Version = 0;
        var bytes = config.ToBytes();
        config.Version = version;
        return bytes;
    }
}
