using System;
using nanoFramework.Hardware.Esp32;
using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Device.Power
{
    /// <summary>Milliseconds from the ESP32's microsecond timer (monotonic since boot); wall time once SNTP has set it.</summary>
    public sealed class DeviceClock : IClock
    {
        private const long UnixEpochTicks = 621355968000000000L;

        // Before SNTP the clock starts in 1970 or at the firmware's build date; anything earlier than this is unset.
        private const long EarliestPlausibleTicks = 638400000000000000L;

        /// <inheritdoc />
        public long Milliseconds
        {
            get { return (long)(HighResTimer.GetCurrent() / 1000); }
        }

        /// <inheritdoc />
        public uint UnixSeconds
        {
            get
            {
                var ticks = DateTime.UtcNow.Ticks;
                return ticks < EarliestPlausibleTicks ? 0 : (uint)((ticks - UnixEpochTicks) / TimeSpan.TicksPerSecond);
            }
        }
    }
}
