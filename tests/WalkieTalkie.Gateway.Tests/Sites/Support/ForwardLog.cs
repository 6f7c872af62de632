using System.Collections.Concurrent;
using System.Diagnostics;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Sites.Support;

/// <summary>
/// What a gateway's engine forwarded and ended, stamped on its loop as it happens (Stopwatch timestamps, comparable with
/// a test badge's arrival times in the same process): each frame of a burst started there as it goes to the listeners
/// and the site link, and each burst's end with its reason.
/// </summary>
public sealed class ForwardLog : IGatewayObserver
{
    private readonly ConcurrentQueue<(uint BurstId, ushort Sequence, long At)> _frames = new();
    private readonly ConcurrentDictionary<uint, (EndReason Reason, long At)> _ends = new();
    private readonly AudioFrame _reader = new();

    /// <summary>The sequences of <paramref name="burstId"/>'s frames forwarded, with when.</summary>
    public IReadOnlyList<(ushort Sequence, long At)> FramesOf(uint burstId) =>
        _frames.Where(f => f.BurstId == burstId).Select(f => (f.Sequence, f.At)).ToList();

    /// <summary>When and why <paramref name="burstId"/> ended, if it did.</summary>
    public (EndReason Reason, long At)? EndOf(uint burstId) => _ends.TryGetValue(burstId, out var end) ? end : null;

    void IGatewayObserver.OnBurstFrame(byte channel, uint burstId, byte[] frame)
    {
        var at = Stopwatch.GetTimestamp();
        if (_reader.Read(frame, 0, frame.Length) == ProtocolError.None)
        {
            _frames.Enqueue((burstId, _reader.Sequence, at));
        }
    }

    void IGatewayObserver.OnBurstEnded(BurstInfo burst, EndReason reason) => _ends[burst.BurstId] = (reason, Stopwatch.GetTimestamp());
}
