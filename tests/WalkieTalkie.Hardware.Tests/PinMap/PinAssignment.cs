namespace WalkieTalkie.Hardware.Tests.PinMap;

/// <summary>How the firmware uses a pin.</summary>
public enum PinDirection
{
    In,
    Out,
    Analog,
}

/// <summary>One signal on one GPIO, as the pin map table or nf.settings.json states it.</summary>
/// <param name="Name">The signal's name, shared by the table (in backticks) and the settings (its key).</param>
/// <param name="Gpio">The ESP32 GPIO number.</param>
/// <param name="Direction">In, out or analog.</param>
/// <param name="Wakes">Whether the pin wakes the badge from deep sleep.</param>
/// <param name="DeviceFunction">The nanoFramework DeviceFunction, when the source names one.</param>
public sealed record PinAssignment(string Name, int Gpio, PinDirection Direction, bool Wakes, string? DeviceFunction = null);
