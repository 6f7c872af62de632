using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>
/// Push-to-talk from the script or held by hand (keyboard, API); the second button clicked by hand. The script's times
/// count from <paramref name="scriptOrigin"/> (milliseconds on the clock, or null while the fleet is not yet up).
/// </summary>
internal sealed class VirtualButtons(RunClock clock, PttScript script, Func<long?> scriptOrigin) : IButtons
{
    private const int ClickMilliseconds = 60;
    private volatile bool _talkHeld;
    private long _channelUntil = -1;

    public void SetTalk(bool down) => _talkHeld = down;

    public void ClickChannel() => Interlocked.Exchange(ref _channelUntil, clock.Milliseconds + ClickMilliseconds);

    public void HoldChannel(int milliseconds) => Interlocked.Exchange(ref _channelUntil, clock.Milliseconds + milliseconds);

    public bool IsDown(ButtonId button) => button == ButtonId.Talk
        ? _talkHeld || (scriptOrigin() is { } origin && script.IsDown(clock.Milliseconds - origin))
        : clock.Milliseconds < Interlocked.Read(ref _channelUntil);
}
