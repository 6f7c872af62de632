namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>The badge's identity and its cached configuration, written at provisioning and on config updates.</summary>
    public interface ISettingsStore
    {
        /// <summary>The badge id (see <c>Topics.IsValidBadgeId</c>).</summary>
        string BadgeId { get; }

        /// <summary>The firmware version the badge reports in <c>badge-state</c>.</summary>
        string Firmware { get; }

        /// <summary>Copies the cached <c>config</c> message into <paramref name="buffer"/>; returns its length, or 0 when none is cached.</summary>
        int ReadConfig(byte[] buffer);

        /// <summary>Replaces the cached <c>config</c> message with the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
        void WriteConfig(byte[] buffer, int length);
    }
}
