using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.VirtualBadge.Hardware;

/// <summary>Push-to-talk from the script or held by hand (keyboard, API); the second button clicked by hand.</summary>
internal sealed class VirtualButtons(RunClock clock, PttScript script) : IButtons
{
    private const int ClickMilliseconds = 60;
    private volatile bool _talkHeld;
    private long _channelUntil = -1;

    public void SetTalk(bool down) => _talkHeld = down;

    public void ClickChannel() => Interlocked.Exchange(ref _channelUntil, clock.Milliseconds + ClickMilliseconds);

    public void HoldChannel(int milliseconds) => Interlocked.Exchange(ref _channelUntil, clock.Milliseconds + milliseconds);

    public bool IsDown(ButtonId button) => button == ButtonId.Talk
        ? _talkHeld || script.IsDown(clock.Milliseconds)
        : clock.Milliseconds < Interlocked.Read(ref _channelUntil);
}
