using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>
/// Mains power: a full battery that never runs down unless a test sets its level. Sleep only changes what the log says.
/// </summary>
internal sealed class SimulatedPower(Action<string> log) : IPower
{
    public WakeCause WakeCause => WakeCause.Reset;

    public int BatteryMillivolts => 4100;

    public int BatteryPercent { get; set; } = 100;

    public void SetStandby(bool on) => log(on ? "audio path off (standby)" : "audio path on");

    public void EnterPocket(uint checkInSeconds) =>
        log(checkInSeconds == 0 ? "pocket sleep until push-to-talk" : $"pocket sleep, check-in in {checkInSeconds} s");
}
