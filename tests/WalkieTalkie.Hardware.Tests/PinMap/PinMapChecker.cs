namespace WalkieTalkie.Hardware.Tests.PinMap;

/// <summary>
/// Compares the pin map table with the settings and applies the ESP32 pin rules. Returns every problem found,
/// each as one sentence, so a failing test shows all of them at once.
/// </summary>
public static class PinMapChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<PinAssignment> table, IReadOnlyList<PinAssignment> settings, string? module)
    {
        var problems = new List<string>();
        problems.AddRange(Duplicates(table, "the pin map table"));
        problems.AddRange(Duplicates(settings, "nf.settings.json"));
        problems.AddRange(Disagreements(table, settings));
        var psramPins = module is not null && module.Contains("WROVER", StringComparison.OrdinalIgnoreCase)
            ? Esp32Pins.WroverPsram
            : new HashSet<int>();
        foreach (var pin in table.Concat(settings).Distinct())
        {
            problems.AddRange(RuleViolations(pin, psramPins));
        }

        return problems.Distinct().ToList();
    }

    private static IEnumerable<string> Duplicates(IReadOnlyList<PinAssignment> pins, string source)
    {
        foreach (var group in pins.GroupBy(pin => pin.Gpio).Where(group => group.Count() > 1))
        {
            yield return $"{source}: GPIO {group.Key} is used twice ({string.Join(", ", group.Select(pin => pin.Name))})";
        }

        foreach (var group in pins.GroupBy(pin => pin.Name).Where(group => group.Count() > 1))
        {
            yield return $"{source}: signal {group.Key} appears more than once";
        }
    }

    private static IEnumerable<string> Disagreements(IReadOnlyList<PinAssignment> table, IReadOnlyList<PinAssignment> settings)
    {
        var fromTable = table.GroupBy(pin => pin.Name).ToDictionary(group => group.Key, group => group.First());
        var fromSettings = settings.GroupBy(pin => pin.Name).ToDictionary(group => group.Key, group => group.First());
        foreach (var name in fromTable.Keys.Except(fromSettings.Keys))
        {
            yield return $"{name} is in the pin map table but not in nf.settings.json";
        }

        foreach (var name in fromSettings.Keys.Except(fromTable.Keys))
        {
            yield return $"{name} is in nf.settings.json but not in the pin map table";
        }

        foreach (var name in fromTable.Keys.Intersect(fromSettings.Keys))
        {
            var row = fromTable[name];
            var setting = fromSettings[name];
            if (row.Gpio != setting.Gpio)
            {
                yield return $"{name}: the table says GPIO {row.Gpio}, nf.settings.json says GPIO {setting.Gpio}";
            }

            if (row.Direction != setting.Direction)
            {
                yield return $"{name}: the table says {row.Direction}, nf.settings.json says {setting.Direction}";
            }

            if (row.Wakes != setting.Wakes)
            {
                yield return $"{name}: the table and nf.settings.json disagree on whether it wakes the badge";
            }

            if (row.DeviceFunction is not null && setting.DeviceFunction is not null && row.DeviceFunction != setting.DeviceFunction)
            {
                yield return $"{name}: the table says {row.DeviceFunction}, nf.settings.json says {setting.DeviceFunction}";
            }
        }
    }

    private static IEnumerable<string> RuleViolations(PinAssignment pin, IReadOnlySet<int> psramPins)
    {
        var gpio = pin.Gpio;
        if (!Esp32Pins.Existing.Contains(gpio))
        {
            yield return $"{pin.Name}: the ESP32 has no GPIO {gpio}";
            yield break;
        }

        if (pin.Wakes && !Esp32Pins.Rtc.Contains(gpio))
        {
            yield return $"{pin.Name}: wake pin GPIO {gpio} is not an RTC GPIO, so it cannot wake the ESP32 from deep sleep";
        }

        if (pin.Direction == PinDirection.Out && Esp32Pins.InputOnly.Contains(gpio))
        {
            yield return $"{pin.Name}: GPIO {gpio} is input-only and cannot be an output";
        }

        if (Esp32Pins.Strapping.Contains(gpio))
        {
            yield return $"{pin.Name}: GPIO {gpio} is a strapping pin";
        }

        if (Esp32Pins.Reserved.Contains(gpio))
        {
            yield return $"{pin.Name}: GPIO {gpio} belongs to the SPI flash or UART0";
        }

        if (psramPins.Contains(gpio))
        {
            yield return $"{pin.Name}: GPIO {gpio} belongs to the WROVER module's PSRAM";
        }

        if (pin.Direction == PinDirection.Analog)
        {
            if (!Esp32Pins.Adc1Channel.TryGetValue(gpio, out var channel))
            {
                yield return $"{pin.Name}: analog GPIO {gpio} is not on ADC1 (ADC2 is unusable while Wi-Fi runs)";
            }
            else if (pin.DeviceFunction is not null && pin.DeviceFunction != $"ADC1_CH{channel}")
            {
                yield return $"{pin.Name}: GPIO {gpio} is ADC1_CH{channel}, not {pin.DeviceFunction}";
            }
        }
    }
}
