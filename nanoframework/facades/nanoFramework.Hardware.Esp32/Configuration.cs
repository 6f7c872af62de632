using System;

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Routes peripheral signals to GPIOs (needed before opening an I2S bus: its pins are not pre-mapped).</summary>
    public class Configuration
    {
        /// <summary>Routes a function to a GPIO.</summary>
        public static void SetPinFunction(int pin, DeviceFunction value) => throw new NotSupportedException();

        /// <summary>The GPIO a function is routed to, or -1.</summary>
        public static int GetFunctionPin(DeviceFunction function) => throw new NotSupportedException();
    }
}
