namespace WalkieTalkie.PowerModel;

/// <summary>The arithmetic: current per state, average current of a profile, hours of battery.</summary>
public sealed class BatteryLifeModel(PowerParameters parameters)
{
    /// <summary>Milliamps drawn in a state: each figure weighted by its duty.</summary>
    public double StateMilliamps(string state) =>
        parameters.States[state].Sum(load => load.Duty * parameters.Figures[load.Figure].MilliampsAt(parameters.Cell.NominalVolts));

    /// <summary>
    /// Average milliamps over an hour of the profile. Standby: talk, listen, and modem sleep for the rest.
    /// Pocket: talk, listen, and the rest in deep sleep broken by check-ins of the given awake time.
    /// The "always" state (regulator, divider) is added to both.
    /// </summary>
    public double AverageMilliamps(UsageProfile profile)
    {
        var talkSeconds = profile.TalkMinutesPerHour * 60;
        var listenSeconds = profile.ListenMinutesPerHour * 60;
        var idleSeconds = 3600 - talkSeconds - listenSeconds;
        var charge = talkSeconds * StateMilliamps("talking") + listenSeconds * StateMilliamps("listening");
        if (profile.Mode == IdleMode.Standby)
        {
            charge += idleSeconds * StateMilliamps("standby");
        }
        else
        {
            var awakeSeconds = idleSeconds / profile.CheckInSeconds!.Value * profile.AwakeSecondsPerCheckIn!.Value;
            charge += awakeSeconds * StateMilliamps("checkIn") + (idleSeconds - awakeSeconds) * StateMilliamps("pocketSleep");
        }

        return charge / 3600 + StateMilliamps("always");
    }

    /// <summary>Hours until the usable capacity is spent.</summary>
    public double BatteryHours(UsageProfile profile) =>
        parameters.Cell.CapacityMilliampHours * parameters.Cell.UsableFraction / AverageMilliamps(profile);
}
