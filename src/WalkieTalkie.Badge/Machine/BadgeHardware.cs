using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>Everything the badge touches, handed over at once. The firmware fills it with its adapters, tests with fakes.</summary>
    public sealed class BadgeHardware
    {
        public IAudioCapture Capture;
        public IAudioPlayback Playback;
        public IButtons Buttons;
        public IIndicator Indicator;
        public IPower Power;
        public IMessageTransport Transport;
        public IClock Clock;
        public ISettingsStore Settings;

        /// <summary>The Wi-Fi access point; null where there is none (no zone is reported).</summary>
        public IAccessPointInfo AccessPoint;
    }
}
