using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WalkieTalkie.Provision.SiteSettings;
using Xunit;

namespace WalkieTalkie.Device.Tests.Tools;

/// <summary>
/// The firmware's generated settings against nf.settings.json and the pin map in hardware/README.md: the three must
/// agree, and the generator must refuse settings the firmware cannot run with.
/// </summary>
public partial class SiteSettingsTests
{
    private static readonly string SettingsJson = File.ReadAllText(RepositoryFiles.PathOf("nf.settings.json"));
    private static readonly string Generated = File.ReadAllText(RepositoryFiles.PathOf("src/WalkieTalkie.Device/Settings/SiteSettings.g.cs"));

    [Fact]
    public void The_committed_settings_are_exactly_what_nf_settings_json_generates()
    {
        Assert.True(SiteSettingsGenerator.Generate(SettingsJson) == Generated,
            "src/WalkieTalkie.Device/Settings/SiteSettings.g.cs is out of date: run walkie-provision site-settings");
    }

    [Fact]
    public void Every_pin_of_the_pin_map_is_in_the_firmware_settings_with_its_gpio_and_function()
    {
        var table = PinMapRows();
        Assert.Equal(SiteSettingsGenerator.RequiredPins.Order(), table.Keys.Order());
        foreach (var (name, (gpio, function)) in table)
        {
            var prefix = SiteSettingsGenerator.Pascal(name);
            Assert.Equal(gpio, ConstantOf(prefix + "Gpio"));
            if (function is not null)
            {
                Assert.Equal("DeviceFunction." + function, ConstantOf(prefix + "Function"));
            }
        }
    }

    [Fact]
    public void The_wake_pin_mask_and_the_levels_follow_nf_settings_json()
    {
        var pins = JsonNode.Parse(SettingsJson)!["pins"]!.AsObject();
        foreach (var (name, pin) in pins)
        {
            var prefix = SiteSettingsGenerator.Pascal(name);
            if (pin!["wake"] is not null)
            {
                Assert.Equal("Sleep.WakeupGpioPin.Pin" + pin["gpio"], ConstantOf(prefix + "WakeMask"));
            }

            if (pin["activeLevel"] is { } level)
            {
                Assert.Equal(level.GetValue<string>() == "high" ? "true" : "false", ConstantOf(prefix + "ActiveHigh"));
            }
        }
    }

    [Fact]
    public void The_audio_set_up_is_stereo_32_bit_capture_and_mono_16_bit_playback()
    {
        Assert.Equal("I2sMode.Master | I2sMode.Rx", ConstantOf("CaptureMode"));
        Assert.Equal("I2sBitsPerSample.Bit32", ConstantOf("CaptureBitsPerSample"));
        Assert.Equal("I2sChannelFormat.RightLeft", ConstantOf("CaptureChannelFormat"));
        Assert.Equal("I2sMode.Master | I2sMode.Tx", ConstantOf("PlaybackMode"));
        Assert.Equal("I2sBitsPerSample.Bit16", ConstantOf("PlaybackBitsPerSample"));
        Assert.Equal("20", ConstantOf("CaptureReadMilliseconds"));
        Assert.Equal("\"ESP32_PSRAM_REV3\"", ConstantOf("Target"));
    }

    [Theory]
    [InlineData("audio.capture.mode", "\"Master|Rx|Pdm\"", "Master|Rx")]
    [InlineData("audio.capture.mode", "\"Master|Rx|Loud\"", "Loud is not an I2sMode")]
    [InlineData("audio.capture.channelFormat", "\"OnlyLeft\"", "32-bit RightLeft")]
    [InlineData("audio.capture.bitsPerSample", "16", "32-bit RightLeft")]
    [InlineData("audio.capture.dmaBufferBytes", "2048", "at least 4096")]
    [InlineData("audio.playback.bitsPerSample", "24", "must be 16")]
    [InlineData("audio.samplesPerBlock", "321", "337")]
    [InlineData("audio.sampleRate", "44100", "allowedSampleRates")]
    [InlineData("audio.blocksPerMessage", "9", "1-8")]
    [InlineData("pins.pttButton.gpio", "16", "not an RTC GPIO")]
    [InlineData("pins.pttButton.wake", "\"ext0\"", "ext1 only")]
    [InlineData("pins.led.activeLevel", "\"bright\"", "high or low")]
    [InlineData("pins.led.activeLevel", "1", "high or low")]
    [InlineData("pins.pttButton.wake", "true", "ext1 only")]
    [InlineData("pins.micData.deviceFunction", "\"I2S1_DATA\"", "not a DeviceFunction")]
    [InlineData("pins.batterySense.deviceFunction", "\"ADC1_CH9\"", "not a DeviceFunction")]
    [InlineData("battery.emptyMillivolts", "3600", "below battery.lowMillivolts")]
    [InlineData("buttons.sosHoldMilliseconds", "800", "above buttons.longPressMilliseconds")]
    [InlineData("buttons.sosMicrophoneSeconds", "0", "sosMicrophoneSeconds")]
    [InlineData("broker.port", "70000", "1-65535")]
    [InlineData("broker.host", "\"walkie\\\"host\"", "printable ASCII")]
    [InlineData("broker.tls", "\"yes\"", "true or false")]
    [InlineData("schemaVersion", "2", "only 1")]
    public void Settings_the_firmware_cannot_use_are_refused_with_the_field_named(string path, string json, string reason)
    {
        var error = Assert.Throws<SettingsException>(() => SiteSettingsGenerator.Generate(Changed(path, json)));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_missing_pin_is_refused()
    {
        var root = JsonNode.Parse(SettingsJson)!;
        root["pins"]!.AsObject().Remove("led");
        var error = Assert.Throws<SettingsException>(() => SiteSettingsGenerator.Generate(root.ToJsonString()));
        Assert.Contains("pins.led is missing", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\":1}")]
    [InlineData("{\"schemaVersion\":1,\"board\":{\"target\":\"ESP32_PSRAM_REV3\",\"psram\":true},\"pins\":{\"led\":5}}")]
    public void Text_that_is_not_the_settings_is_refused_without_any_other_exception(string text)
    {
        Assert.Throws<SettingsException>(() => SiteSettingsGenerator.Generate(text));
    }

    [Fact]
    public void A_second_channel_rate_and_another_pin_flow_into_the_constants()
    {
        var text = Changed("pins.led.gpio", "27");
        text = ChangedIn(text, "audio.sampleRate", "16000");
        var source = SiteSettingsGenerator.Generate(text);
        Assert.Contains("public const int LedGpio = 27;", source);
        Assert.Contains("public const int SampleRate = 16000;", source);
    }

    private static string Changed(string path, string json) => ChangedIn(SettingsJson, path, json);

    private static string ChangedIn(string text, string path, string json)
    {
        var root = JsonNode.Parse(text)!;
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!;
        }

        parent[parts[^1]] = JsonNode.Parse(json);
        return root.ToJsonString();
    }

    private static string ConstantOf(string name)
    {
        var match = Regex.Match(Generated, @"public const \S+ " + name + @" = (.+);");
        Assert.True(match.Success, $"SiteSettings.g.cs has no constant {name}");
        return match.Groups[1].Value;
    }

    /// <summary>The pin map table of hardware/README.md: name (in backticks) to GPIO and the device function in parentheses.</summary>
    private static Dictionary<string, (string Gpio, string? Function)> PinMapRows()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("hardware/README.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| GPIO | Function |", StringComparison.Ordinal));
        Assert.True(header >= 0, "hardware/README.md has no pin map table");
        var rows = new Dictionary<string, (string, string?)>();
        for (var i = header + 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            var cells = lines[i].Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var name = NameInBackticks().Match(cells[1]).Groups[1].Value;
            var function = FunctionInParentheses().Match(cells[1]);
            rows[name] = (cells[0], function.Success ? function.Groups[1].Value : null);
        }

        return rows;
    }

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex NameInBackticks();

    [GeneratedRegex(@"\(((?:I2S[12]_[A-Z_]+)|(?:ADC1_CH\d))\)")]
    private static partial Regex FunctionInParentheses();
}
