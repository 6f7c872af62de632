using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites.Support;

/// <summary>
/// A badge talking as a badge does, in the background: a frame per block (40 ms) from its grant until the floor is
/// revoked or the talk is disposed (at most 20 s), so its floor holds for as long as a test needs it.
/// </summary>
public sealed class TalkingBadge : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _talking;

    private TalkingBadge(TestBadge badge, FloorGranted grant) => _talking = TalkAsync(badge, grant, _stop.Token);

    public static TalkingBadge Start(TestBadge badge, FloorGranted grant) => new(badge, grant);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _talking;
        _stop.Dispose();
    }

    private static async Task TalkAsync(TestBadge badge, FloorGranted grant, CancellationToken stop)
    {
        for (ushort sequence = 0; sequence < 500 && !stop.IsCancellationRequested && !badge.Has<FloorRevoked>(r => r.BurstId == grant.BurstId); sequence++)
        {
            await badge.SendFrameAsync(TestFrames.Make(grant.Channel, grant.BurstId, sequence));
            try
            {
                await Task.Delay(40, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
