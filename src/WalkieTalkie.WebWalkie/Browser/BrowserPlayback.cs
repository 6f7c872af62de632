using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>
/// The speaker: blocks the badge decided to play go to the playback worklet. The badge writes while what waits in the
/// worklet is under the jitter buffer's prefill (and at least half a block plus 10 ms, the worklet reporting every
/// 10 ms). The worklet plays on the audio thread, but the badge runs on the page's main thread, which a busy phone or
/// machine stalls for tens of milliseconds at a time: audio kept in the jitter buffer cannot reach the speaker through
/// such a stall, and the speaker runs dry (a gap heard, and the delay grows by it). Kept in the worklet instead, the same
/// audio plays through the stall; the delay is the same, since the prefill sets how much waits in the two together.
/// </summary>
internal sealed class BrowserPlayback(int samplesPerBlock, int prefillFrames) : IAudioPlayback
{
    private int _rate = 8000;
    private byte[] _bytes = [];

    public bool CanWrite => JsWalkie.PlaybackQueued() < Math.Max(samplesPerBlock / 2 + _rate / 100, prefillFrames * samplesPerBlock);

    public void Start(int sampleRate)
    {
        _rate = sampleRate;
        JsWalkie.PlaybackStart(sampleRate);
    }

    public void Stop()
    {
    }

    public void Write(short[] samples, int offset, int count)
    {
        if (_bytes.Length != count * 2)
        {
            _bytes = new byte[count * 2];
        }

        for (var i = 0; i < count; i++)
        {
            var s = samples[offset + i];
            _bytes[2 * i] = (byte)s;
            _bytes[2 * i + 1] = (byte)(s >> 8);
        }

        JsWalkie.PlaybackWrite(_bytes);
    }
}
