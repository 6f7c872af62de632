using System;

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>ESP32 light and deep sleep, and what wakes the chip. Deep sleep ends in a reset: the app restarts at Main.</summary>
    public class Sleep
    {
        /// <summary>ext1 condition over the pin mask (classic ESP32: all low or any high).</summary>
        public enum WakeupMode
        {
            /// <summary>Wake when all pins of the mask are low.</summary>
            AllLow = 0,

            /// <summary>Wake when any pin of the mask is high.</summary>
            AnyHigh = 1,
        }

        /// <summary>Why the chip woke.</summary>
        public enum WakeupCause
        {
            /// <summary>Not a wake from sleep (power-on or reset).</summary>
            Undefined = 0,

            /// <summary>ext0, one RTC pin.</summary>
            Ext0 = 2,

            /// <summary>ext1, a mask of RTC pins.</summary>
            Ext1 = 3,

            /// <summary>The timer.</summary>
            Timer = 4,

            /// <summary>A touch pad.</summary>
            TouchPad = 5,

            /// <summary>The ULP coprocessor.</summary>
            Ulp = 6,

            /// <summary>A GPIO (light sleep).</summary>
            Gpio = 7,

            /// <summary>A UART (light sleep).</summary>
            Uart = 8,

            /// <summary>Wi-Fi.</summary>
            Wifi = 9,

            /// <summary>The coprocessor.</summary>
            CoCpu = 10,

            /// <summary>A coprocessor trap.</summary>
            CoCpuTrapTrig = 11,

            /// <summary>Bluetooth.</summary>
            Bt = 12,
        }

        /// <summary>A set of GPIOs for wake-up; bit n is GPIO n.</summary>
        [Flags]
        public enum WakeupGpioPin : ulong
        {
            /// <summary>No pin.</summary>
            None = 0,
            /// <summary>GPIO 0.</summary>
            Pin0 = 1UL << 0,
            /// <summary>GPIO 1.</summary>
            Pin1 = 1UL << 1,
            /// <summary>GPIO 2.</summary>
            Pin2 = 1UL << 2,
            /// <summary>GPIO 3.</summary>
            Pin3 = 1UL << 3,
            /// <summary>GPIO 4.</summary>
            Pin4 = 1UL << 4,
            /// <summary>GPIO 5.</summary>
            Pin5 = 1UL << 5,
            /// <summary>GPIO 6.</summary>
            Pin6 = 1UL << 6,
            /// <summary>GPIO 7.</summary>
            Pin7 = 1UL << 7,
            /// <summary>GPIO 8.</summary>
            Pin8 = 1UL << 8,
            /// <summary>GPIO 9.</summary>
            Pin9 = 1UL << 9,
            /// <summary>GPIO 10.</summary>
            Pin10 = 1UL << 10,
            /// <summary>GPIO 11.</summary>
            Pin11 = 1UL << 11,
            /// <summary>GPIO 12.</summary>
            Pin12 = 1UL << 12,
            /// <summary>GPIO 13.</summary>
            Pin13 = 1UL << 13,
            /// <summary>GPIO 14.</summary>
            Pin14 = 1UL << 14,
            /// <summary>GPIO 15.</summary>
            Pin15 = 1UL << 15,
            /// <summary>GPIO 16.</summary>
            Pin16 = 1UL << 16,
            /// <summary>GPIO 17.</summary>
            Pin17 = 1UL << 17,
            /// <summary>GPIO 18.</summary>
            Pin18 = 1UL << 18,
            /// <summary>GPIO 19.</summary>
            Pin19 = 1UL << 19,
            /// <summary>GPIO 20.</summary>
            Pin20 = 1UL << 20,
            /// <summary>GPIO 21.</summary>
            Pin21 = 1UL << 21,
            /// <summary>GPIO 25.</summary>
            Pin25 = 1UL << 25,
            /// <summary>GPIO 26.</summary>
            Pin26 = 1UL << 26,
            /// <summary>GPIO 27.</summary>
            Pin27 = 1UL << 27,
            /// <summary>GPIO 32.</summary>
            Pin32 = 1UL << 32,
            /// <summary>GPIO 33 (the badge's PTT button).</summary>
            Pin33 = 1UL << 33,
            /// <summary>GPIO 34.</summary>
            Pin34 = 1UL << 34,
            /// <summary>GPIO 35.</summary>
            Pin35 = 1UL << 35,
            /// <summary>GPIO 36.</summary>
            Pin36 = 1UL << 36,
            /// <summary>GPIO 37.</summary>
            Pin37 = 1UL << 37,
            /// <summary>GPIO 38.</summary>
            Pin38 = 1UL << 38,
            /// <summary>GPIO 39.</summary>
            Pin39 = 1UL << 39,
        }

        /// <summary>UART that can wake the chip from light sleep.</summary>
        public enum WakeUpPort
        {
            /// <summary>UART 0.</summary>
            COM1 = 0,

            /// <summary>UART 1.</summary>
            COM2 = 1,
        }

        /// <summary>Wake after the time (esp_sleep_enable_timer_wakeup).</summary>
        public static EspNativeError EnableWakeupByTimer(TimeSpan time) => throw new NotSupportedException();

        /// <summary>ext0: wake when the pin reaches the logic level (0 or 1).</summary>
        public static EspNativeError EnableWakeupByPin(WakeupGpioPin pin, int level) => throw new NotSupportedException();

        /// <summary>ext1: wake on a mask of RTC pins.</summary>
        public static EspNativeError EnableWakeupByMultiPins(WakeupGpioPin pins, WakeupMode mode) => throw new NotSupportedException();

        /// <summary>Wake by touch pads.</summary>
        public static EspNativeError EnableWakeupByTouchPad(int padNumber1, int padNumber2 = -1, byte thresholdCoefficient = 80) => throw new NotSupportedException();

        /// <summary>Wake by UART edges (light sleep).</summary>
        public static EspNativeError EnableWakeupByUart(WakeUpPort portNumber, int edgeCount) => throw new NotSupportedException();

        /// <summary>Light sleep; refused (INVALID_STATE) while Wi-Fi runs, so it cannot wait for MQTT.</summary>
        public static EspNativeError StartLightSleep() => throw new NotSupportedException();

        /// <summary>Deep sleep. Never returns: the chip resets on wake.</summary>
        public static void StartDeepSleep() => throw new NotSupportedException();

        /// <summary>Why the chip last woke.</summary>
        public static WakeupCause GetWakeupCause() => throw new NotSupportedException();

        /// <summary>The pins that caused an ext1 wake.</summary>
        public static WakeupGpioPin GetWakeupGpioPin() => throw new NotSupportedException();

        /// <summary>The touch pad that caused a touch wake.</summary>
        public static int GetWakeupTouchpad() => throw new NotSupportedException();
    }
}
