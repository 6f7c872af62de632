using System;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Diagnostics;
using WalkieTalkie.Device.Storage;

namespace WalkieTalkie.Device.Settings
{
    /// <summary>The provisioned identity and the cached <c>config</c> message, kept in a file on the internal drive.</summary>
    public sealed class FlashSettingsStore : ISettingsStore
    {
        private readonly BadgeIdentity _identity;
        private readonly SerialLog _log;

        public FlashSettingsStore(BadgeIdentity identity, SerialLog log)
        {
            _identity = identity;
            _log = log;
        }

        /// <inheritdoc />
        public string BadgeId
        {
            get { return _identity.BadgeId; }
        }

        /// <inheritdoc />
        public string Firmware
        {
            get { return FirmwareVersion.Current; }
        }

        /// <inheritdoc />
        public int ReadConfig(byte[] buffer)
        {
            try
            {
                var length = FlashFiles.Read(FlashFiles.ConfigCachePath, buffer);
                return length < 0 ? 0 : length;
            }
            catch (Exception)
            {
                _log.Line("config cache unreadable; starting without it");
                return 0;
            }
        }

        /// <inheritdoc />
        public void WriteConfig(byte[] buffer, int length)
        {
            try
            {
                FlashFiles.Write(FlashFiles.ConfigCachePath, buffer, length);
            }
            catch (Exception)
            {
                // The configuration is in force anyway; only the next cold start without the gateway misses it.
                _log.Line("config cache not written");
            }
        }
    }
}
