using System.Globalization;

namespace WalkieTalkie.PowerModel;

/// <summary>Writes the model's results as markdown: the state currents, the battery table, and what is unchecked.</summary>
public static class BatteryLifeReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(PowerParameters parameters, TextWriter output)
    {
        var model = new BatteryLifeModel(parameters);
        var cell = parameters.Cell;
        output.WriteLine(string.Create(Invariant, $"Cell: {cell.CapacityMilliampHours:0} mAh at {cell.NominalVolts:0.0} V, {cell.UsableFraction * 100:0} % usable."));
        output.WriteLine();
        output.WriteLine("| State | Current (mA) |");
        output.WriteLine("| --- | ---: |");
        foreach (var state in PowerParameters.RequiredStates)
        {
            output.WriteLine(string.Create(Invariant, $"| {state} | {model.StateMilliamps(state):0.000} |"));
        }

        output.WriteLine();
        output.WriteLine("| Mode | Profile | Talk min/h | Listen min/h | Check-in | Average (mA) | Battery (h) | Battery (days) |");
        output.WriteLine("| --- | --- | ---: | ---: | --- | ---: | ---: | ---: |");
        foreach (var profile in parameters.Profiles)
        {
            var checkIn = profile.Mode == IdleMode.Pocket
                ? string.Format(Invariant, "every {0:0} s, {1:0.#} s awake", profile.CheckInSeconds, profile.AwakeSecondsPerCheckIn)
                : "-";
            var hours = model.BatteryHours(profile);
            output.WriteLine(string.Create(Invariant,
                $"| {(profile.Mode == IdleMode.Pocket ? "pocket" : "standby")} | {profile.Name} | {profile.TalkMinutesPerHour:0.#} | {profile.ListenMinutesPerHour:0.#} | {checkIn} | {model.AverageMilliamps(profile):0.00} | {hours:0.0} | {hours / 24:0.0} |"));
        }

        var unchecked_ = parameters.Figures.Where(figure => !figure.Value.Checked).Select(figure => figure.Key).ToList();
        if (unchecked_.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Not confirmed against their source, to be measured: " + string.Join(", ", unchecked_) + ".");
        }
    }
}
