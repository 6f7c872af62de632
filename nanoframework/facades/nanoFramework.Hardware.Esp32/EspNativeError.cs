namespace nanoFramework.Hardware.Esp32
{
    /// <summary>ESP-IDF error codes returned by the sleep configuration calls.</summary>
    public enum EspNativeError
    {
        /// <summary>Success.</summary>
        OK = 0,

        /// <summary>Generic failure.</summary>
        FAIL = -1,

        /// <summary>Out of memory.</summary>
        NO_MEM = 0x101,

        /// <summary>Invalid argument.</summary>
        INVALID_ARG = 0x102,

        /// <summary>Invalid state (light sleep with Wi-Fi running, for one).</summary>
        INVALID_STATE = 0x103,

        /// <summary>Invalid size.</summary>
        INVALID_SIZE = 0x104,

        /// <summary>Not found.</summary>
        NOT_FOUND = 0x105,

        /// <summary>Not supported.</summary>
        NOT_SUPPORTED = 0x106,

        /// <summary>Timed out.</summary>
        TIMEOUT = 0x107,

        /// <summary>Invalid response.</summary>
        INVALID_RESPONSE = 0x108,

        /// <summary>Bad CRC.</summary>
        INVALID_CRC = 0x109,

        /// <summary>Bad version.</summary>
        INVALID_VERSION = 0x10A,

        /// <summary>Bad MAC address.</summary>
        INVALID_MAC = 0x10B,

        /// <summary>Base of the Wi-Fi error codes.</summary>
        WIFI_BASE = 0x3000,
    }
}
