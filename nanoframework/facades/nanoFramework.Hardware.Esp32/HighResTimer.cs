using System;

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Raised when a <see cref="HighResTimer"/> expires.</summary>
    public delegate void HighResTimerExpiredEventHandler(HighResTimer sender, object e);

    /// <summary>The ESP32's microsecond timer (esp_timer); <see cref="GetCurrent"/> is the profiling clock.</summary>
    public class HighResTimer : IDisposable
    {
        /// <summary>Creates a timer (at most 10).</summary>
        public HighResTimer() => throw new NotSupportedException();

        /// <summary>Raised on expiry.</summary>
        public event HighResTimerExpiredEventHandler OnHighResTimerExpired
        {
            add
            {
            }

            remove
            {
            }
        }

        /// <summary>Microseconds since boot.</summary>
        public static ulong GetCurrent() => throw new NotSupportedException();

        /// <summary>Stops the timer.</summary>
        public void Stop() => throw new NotSupportedException();

        /// <summary>Expires once after the timeout in microseconds.</summary>
        public void StartOneShot(ulong timeout_us) => throw new NotSupportedException();

        /// <summary>Expires every period in microseconds.</summary>
        public void StartOnePeriodic(ulong period_us) => throw new NotSupportedException();

        /// <summary>Deletes the timer.</summary>
        public void Dispose()
        {
        }
    }
}
