using WalkieTalkie.PowerModel;

namespace WalkieTalkie.Hardware.Tests.PowerModel;

/// <summary>The model's arithmetic on small cases worked by hand.</summary>
public class BatteryLifeModelTests
{
    /// <summary>
    /// Round numbers: TX 100 mA, RX 50 mA, speaker 37 mW at 100 % from 3.7 V = 10 mA, modem sleep 20 mA,
    /// deep sleep 0.01 mA, always 0.
    /// </summary>
    private const string HandWorked = """
        {
          "cell": { "capacityMilliampHours": 1000, "usableFraction": 1.0, "nominalVolts": 3.7, "source": "test" },
          "figures": {
            "tx": { "milliamps": 100, "source": "test" },
            "rx": { "milliamps": 50, "source": "test" },
            "speaker": { "milliwatts": 37, "efficiency": 1.0, "source": "test" },
            "modem": { "milliamps": 20, "source": "test" },
            "deep": { "milliamps": 0.01, "source": "test" },
            "led": { "milliamps": 2, "source": "test" }
          },
          "states": {
            "talking": [ { "figure": "tx" } ],
            "listening": [ { "figure": "rx" }, { "figure": "speaker" } ],
            "standby": [ { "figure": "modem" } ],
            "checkIn": [ { "figure": "rx" } ],
            "pocketSleep": [ { "figure": "deep" } ],
            "always": []
          },
          "profiles": [
            { "name": "standby", "mode": "standby", "talkMinutesPerHour": 6, "listenMinutesPerHour": 12 },
            { "name": "pocket", "mode": "pocket", "talkMinutesPerHour": 0, "listenMinutesPerHour": 0, "checkInSeconds": 300, "awakeSecondsPerCheckIn": 6 },
            { "name": "pocket busy", "mode": "pocket", "talkMinutesPerHour": 6, "listenMinutesPerHour": 0, "checkInSeconds": 60, "awakeSecondsPerCheckIn": 3 }
          ]
        }
        """;

    private static readonly PowerParameters Parameters = PowerParametersFile.Parse(HandWorked);
    private static readonly BatteryLifeModel Model = new(Parameters);

    [Fact]
    public void A_power_figure_becomes_current_at_the_cell_voltage()
    {
        // 37 mW / (3.7 V x 1.0) = 10 mA, plus 50 mA of receive.
        Assert.Equal(60.0, Model.StateMilliamps("listening"), 9);
    }

    [Fact]
    public void Standby_weights_talk_listen_and_modem_sleep_by_their_minutes()
    {
        // 6/60 x 100 + 12/60 x 60 + 42/60 x 20 = 10 + 12 + 14 = 36 mA; 1000 mAh / 36 mA = 27.777... h.
        var standby = Parameters.Profiles[0];

        Assert.Equal(36.0, Model.AverageMilliamps(standby), 9);
        Assert.Equal(1000.0 / 36.0, Model.BatteryHours(standby), 9);
    }

    [Fact]
    public void Pocket_mode_is_deep_sleep_broken_by_check_ins()
    {
        // 3600 s / 300 s = 12 check-ins of 6 s = 72 s at 50 mA = 3600 mA.s; 3528 s at 0.01 mA = 35.28 mA.s.
        // (3600 + 35.28) / 3600 = 1.0098 mA; 1000 / 1.0098 = 990.295 h.
        var pocket = Parameters.Profiles[1];

        Assert.Equal(1.0098, Model.AverageMilliamps(pocket), 9);
        Assert.Equal(990.295, Model.BatteryHours(pocket), 3);
    }

    [Fact]
    public void Pocket_talk_time_is_taken_out_of_the_sleeping_time()
    {
        // 360 s talking at 100 mA = 36000; 3240 s idle / 60 s = 54 check-ins x 3 s = 162 s at 50 mA = 8100;
        // 3078 s at 0.01 mA = 30.78. (36000 + 8100 + 30.78) / 3600 = 12.258550 mA.
        var busy = Parameters.Profiles[2];

        Assert.Equal(44130.78 / 3600, Model.AverageMilliamps(busy), 9);
    }

    [Fact]
    public void A_duty_scales_a_figure_and_the_always_state_adds_to_every_profile()
    {
        var json = HandWorked
            .Replace("\"standby\": [ { \"figure\": \"modem\" } ]", "\"standby\": [ { \"figure\": \"modem\" }, { \"figure\": \"led\", \"duty\": 0.5 } ]")
            .Replace("\"always\": []", "\"always\": [ { \"figure\": \"deep\" } ]");
        var model = new BatteryLifeModel(PowerParametersFile.Parse(json));

        // Standby state: 20 + 0.5 x 2 = 21 mA. Profile: 10 + 12 + 42/60 x 21 = 36.7, plus 0.01 always.
        Assert.Equal(21.0, model.StateMilliamps("standby"), 9);
        Assert.Equal(36.71, model.AverageMilliamps(PowerParametersFile.Parse(json).Profiles[0]), 9);
    }

    [Theory]
    [InlineData("\"nominalVolts\": 3.7", "\"nominalVolts\": 0", "cell.nominalVolts must be positive")]
    [InlineData("{ \"figure\": \"deep\" }", "{ \"figure\": \"sleepy\" }", "state pocketSleep uses unknown figure sleepy")]
    [InlineData("\"awakeSecondsPerCheckIn\": 6", "\"awakeSecondsPerCheckIn\": 600", "profile pocket: a check-in cannot be awake longer than its interval")]
    [InlineData("\"listenMinutesPerHour\": 12", "\"listenMinutesPerHour\": 58", "profile standby: talk and listen minutes must be non-negative and fit in an hour")]
    [InlineData("\"modem\": { \"milliamps\": 20, \"source\": \"test\" }", "\"modem\": { \"milliamps\": 20, \"source\": \"\" }", "figure modem has no source")]
    [InlineData("\"checkIn\": [ { \"figure\": \"rx\" } ],", "", "state checkIn is missing")]
    public void Inconsistent_parameters_are_refused_with_a_clear_message(string oldText, string newText, string message)
    {
        Assert.Contains(oldText, HandWorked);

        var error = Assert.Throws<PowerModelException>(() => PowerParametersFile.Parse(HandWorked.Replace(oldText, newText)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Text_that_is_not_json_is_refused()
    {
        var error = Assert.Throws<PowerModelException>(() => PowerParametersFile.Parse("{ \"cell\": "));

        Assert.StartsWith("not valid power model JSON", error.Message);
    }
}
