using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>The badge's identity and cached <c>config</c>, in memory for the run.</summary>
internal sealed class MemorySettings(string badgeId, byte[] initialConfig) : ISettingsStore
{
    private byte[] _config = initialConfig;

    public string BadgeId => badgeId;

    public string Firmware => "virtual-1";

    public int ReadConfig(byte[] buffer)
    {
        var config = _config;
        config.CopyTo(buffer, 0);
        return config.Length;
    }

    public void WriteConfig(byte[] buffer, int length) => _config = buffer.AsSpan(0, length).ToArray();
}
