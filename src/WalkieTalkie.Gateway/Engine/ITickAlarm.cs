namespace WalkieTalkie.Gateway.Engine;

/// <summary>What ticks the engine (the host's <c>EngineTicker</c>): roused by the engine's loop when it needs ticks sooner.</summary>
public interface ITickAlarm
{
    /// <summary>
    /// Paced ticks are wanted, or a tick falls due before the moment the alarm covers: arm again now. Called on the
    /// engine's loop, so it must not wait for the loop.
    /// </summary>
    void Rouse();
}
