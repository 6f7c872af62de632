using WalkieTalkie.Hardware.Tests.PinMap;

namespace WalkieTalkie.Hardware.Tests;

/// <summary>
/// The checker on broken copies of the real files: each copy changes the README table and/or the settings in
/// one way, and the checker must report exactly that breakage.
/// </summary>
public class PinMapCheckerTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryFiles.PathOf("hardware/README.md"));
    private static readonly string Settings = File.ReadAllText(RepositoryFiles.PathOf("nf.settings.json"));

    [Fact]
    public void A_pin_that_differs_between_table_and_settings_is_reported()
    {
        var settings = Replace(Settings, "\"led\": { \"gpio\": 22", "\"led\": { \"gpio\": 27");

        var problems = CheckCopies(Readme, settings);

        Assert.Equal(["led: the table says GPIO 22, nf.settings.json says GPIO 27"], problems);
    }

    [Fact]
    public void A_gpio_used_twice_is_reported()
    {
        var readme = Replace(Readme, "| 22 | `led`", "| 21 | `led`");
        var settings = Replace(Settings, "\"led\": { \"gpio\": 22", "\"led\": { \"gpio\": 21");

        var problems = CheckCopies(readme, settings);

        Assert.Contains("the pin map table: GPIO 21 is used twice (ampShutdown, led)", problems);
        Assert.Contains("nf.settings.json: GPIO 21 is used twice (ampShutdown, led)", problems);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void A_wake_pin_that_is_not_an_RTC_gpio_is_reported()
    {
        // Swap the PTT button (GPIO 33) and the LED (GPIO 22) in both files: only the wake rule is broken.
        var readme = Replace(Replace(Readme, "| 33 | `pttButton`", "| 22 | `pttButton`"), "| 22 | `led`", "| 33 | `led`");
        var settings = Replace(Replace(Settings, "\"pttButton\": { \"gpio\": 33", "\"pttButton\": { \"gpio\": 22"),
            "\"led\": { \"gpio\": 22", "\"led\": { \"gpio\": 33");

        var problems = CheckCopies(readme, settings);

        Assert.Equal(["pttButton: wake pin GPIO 22 is not an RTC GPIO, so it cannot wake the ESP32 from deep sleep"], problems);
    }

    [Fact]
    public void An_input_only_gpio_used_as_an_output_is_reported()
    {
        // Swap the LED (GPIO 22) and the mic data line (GPIO 34) in both files.
        var readme = Replace(Replace(Readme, "| 22 | `led`", "| 34 | `led`"), "| 34 | `micData`", "| 22 | `micData`");
        var settings = Replace(Replace(Settings, "\"led\": { \"gpio\": 22", "\"led\": { \"gpio\": 34"),
            "\"micData\": { \"gpio\": 34", "\"micData\": { \"gpio\": 22");

        var problems = CheckCopies(readme, settings);

        Assert.Equal(["led: GPIO 34 is input-only and cannot be an output"], problems);
    }

    [Fact]
    public void A_wake_flag_missing_from_the_table_is_reported()
    {
        var readme = Replace(Readme, "| in (wake) |", "| in |");

        var problems = CheckCopies(readme, Settings);

        Assert.Equal(["pttButton: the table and nf.settings.json disagree on whether it wakes the badge"], problems);
    }

    [Fact]
    public void A_signal_missing_from_the_settings_is_reported()
    {
        var settings = Replace(Settings, "\"channelButton\"", "\"modeButton\"");

        var problems = CheckCopies(Readme, settings);

        Assert.Contains("channelButton is in the pin map table but not in nf.settings.json", problems);
        Assert.Contains("modeButton is in nf.settings.json but not in the pin map table", problems);
    }

    [Fact]
    public void A_battery_sense_on_ADC2_or_on_the_wrong_channel_is_reported()
    {
        var wrongChannel = Replace(Settings, "\"ADC1_CH7\"", "\"ADC1_CH6\"");
        var onAdc2 = Replace(Replace(Settings, "\"batterySense\": { \"gpio\": 35", "\"batterySense\": { \"gpio\": 27"), "\"ADC1_CH7\"", "\"ADC1_CH0\"");
        var readmeOnAdc2 = Replace(Replace(Readme, "| 35 | `batterySense`", "| 27 | `batterySense`"), "(ADC1_CH7)", "(ADC1_CH0)");

        Assert.Contains("batterySense: the table says ADC1_CH7, nf.settings.json says ADC1_CH6", CheckCopies(Readme, wrongChannel));
        Assert.Contains("batterySense: analog GPIO 27 is not on ADC1 (ADC2 is unusable while Wi-Fi runs)", CheckCopies(readmeOnAdc2, onAdc2));
    }

    [Theory]
    [InlineData(16, "batterySense: GPIO 16 belongs to the WROVER module's PSRAM")]
    [InlineData(12, "batterySense: GPIO 12 is a strapping pin")]
    [InlineData(20, "batterySense: the ESP32 has no GPIO 20")]
    public void Pins_the_module_or_the_boot_needs_are_reported(int gpio, string expected)
    {
        var settings = Replace(Settings, "\"batterySense\": { \"gpio\": 35", $"\"batterySense\": {{ \"gpio\": {gpio}");

        Assert.Contains(expected, CheckCopies(Readme, settings));
    }

    [Fact]
    public void A_table_without_its_columns_is_a_format_error()
    {
        var readme = Replace(Readme, "| GPIO | Function | Direction | Notes |", "| Pin | Function | Direction | Notes |");

        var error = Assert.Throws<PinMapFormatException>(() => PinMapTable.Parse(readme));
        Assert.Contains("GPIO | Function | Direction | Notes", error.Message);
    }

    [Fact]
    public void A_row_with_a_bad_direction_is_a_format_error()
    {
        var readme = Replace(Readme, "| 22 | `led`: status LED through 1 kohm to GND | out |", "| 22 | `led`: status LED through 1 kohm to GND | output |");

        var error = Assert.Throws<PinMapFormatException>(() => PinMapTable.Parse(readme));
        Assert.Contains("\"output\" is not in, out or analog", error.Message);
    }

    [Fact]
    public void Settings_that_are_not_json_are_a_format_error()
    {
        Assert.Throws<PinMapFormatException>(() => DeviceSettingsPins.Parse("{ \"pins\": "));
    }

    /// <summary>Writes the broken copies to a temporary folder and checks them from there, as from disk.</summary>
    private static IReadOnlyList<string> CheckCopies(string readme, string settings)
    {
        var folder = Directory.CreateTempSubdirectory("walkie-pinmap-");
        try
        {
            var readmePath = Path.Combine(folder.FullName, "README.md");
            var settingsPath = Path.Combine(folder.FullName, "nf.settings.json");
            File.WriteAllText(readmePath, readme);
            File.WriteAllText(settingsPath, settings);
            var settingsText = File.ReadAllText(settingsPath);
            return PinMapChecker.Check(PinMapTable.Parse(File.ReadAllText(readmePath)), DeviceSettingsPins.Parse(settingsText),
                DeviceSettingsPins.Module(settingsText));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Replaces text that must be there, so a stale test cannot pass by changing nothing.</summary>
    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.Contains(oldValue, text);
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }
}
