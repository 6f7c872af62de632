namespace WalkieTalkie.Hardware.Tests.PinMap;

/// <summary>
/// Facts about the classic ESP32's GPIOs (ESP32 Series Datasheet, pin and RTC GPIO tables; ESP-IDF sleep
/// modes guide) that decide which pin may do what on the badge.
/// </summary>
public static class Esp32Pins
{
    /// <summary>GPIO numbers the ESP32 has (there is no 20, 24 or 28-31).</summary>
    public static readonly IReadOnlySet<int> Existing = new HashSet<int>(
        Enumerable.Range(0, 20).Concat([21, 22, 23, 25, 26, 27]).Concat(Enumerable.Range(32, 8)));

    /// <summary>RTC GPIOs: the only pins that can wake the chip from deep sleep (ext0/ext1).</summary>
    public static readonly IReadOnlySet<int> Rtc = new HashSet<int>([0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39]);

    /// <summary>Input-only GPIOs, without output drivers or internal pulls.</summary>
    public static readonly IReadOnlySet<int> InputOnly = new HashSet<int>([34, 35, 36, 37, 38, 39]);

    /// <summary>Strapping pins, sampled at reset: a wrong level there changes how the chip boots.</summary>
    public static readonly IReadOnlySet<int> Strapping = new HashSet<int>([0, 2, 5, 12, 15]);

    /// <summary>Pins wired to the module's SPI flash, and UART0 that flashing and the console use.</summary>
    public static readonly IReadOnlySet<int> Reserved = new HashSet<int>([1, 3, 6, 7, 8, 9, 10, 11]);

    /// <summary>Pins a WROVER module uses for its PSRAM.</summary>
    public static readonly IReadOnlySet<int> WroverPsram = new HashSet<int>([16, 17]);

    /// <summary>ADC1 channel of each ADC1 pin (ADC2 cannot be read while Wi-Fi runs).</summary>
    public static readonly IReadOnlyDictionary<int, int> Adc1Channel = new Dictionary<int, int>
    {
        [36] = 0, [37] = 1, [38] = 2, [39] = 3, [32] = 4, [33] = 5, [34] = 6, [35] = 7,
    };
}
