using WalkieTalkie.Hardware.Tests.PinMap;

namespace WalkieTalkie.Hardware.Tests;

/// <summary>The repository's pin map table and nf.settings.json agree and obey the ESP32's pin rules.</summary>
public class PinMapConsistencyTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryFiles.PathOf("hardware/README.md"));
    private static readonly string Settings = File.ReadAllText(RepositoryFiles.PathOf("nf.settings.json"));

    [Fact]
    public void The_pin_map_table_and_the_settings_agree_and_follow_the_ESP32_rules()
    {
        var problems = PinMapChecker.Check(PinMapTable.Parse(Readme), DeviceSettingsPins.Parse(Settings), DeviceSettingsPins.Module(Settings));

        Assert.True(problems.Count == 0, "pin map problems:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_table_holds_every_signal_of_the_badge()
    {
        var names = PinMapTable.Parse(Readme).Select(pin => pin.Name).ToHashSet();

        Assert.Superset(names, new HashSet<string>
        {
            "micBitClock", "micWordSelect", "micData", "ampBitClock", "ampWordSelect", "ampData", "ampShutdown",
            "pttButton", "channelButton", "led", "batterySense",
        });
    }

    [Fact]
    public void The_wiring_diagram_labels_exactly_the_gpios_of_the_table()
    {
        var svg = File.ReadAllText(RepositoryFiles.PathOf("hardware/wiring.svg"));
        var drawn = System.Text.RegularExpressions.Regex.Matches(svg, @"GPIO(\d+)")
            .Select(match => int.Parse(match.Groups[1].Value))
            .ToHashSet();

        Assert.Equal(PinMapTable.Parse(Readme).Select(pin => pin.Gpio).ToHashSet(), drawn);
    }

    [Fact]
    public void The_push_to_talk_button_wakes_the_badge()
    {
        var ptt = PinMapTable.Parse(Readme).Single(pin => pin.Name == "pttButton");

        Assert.True(ptt.Wakes);
        Assert.Contains(ptt.Gpio, Esp32Pins.Rtc);
    }
}
