using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>
/// The speaker: blocks the badge decided to play go to the playback worklet. The badge writes only when
/// <see cref="CanWrite"/>, which keeps what waits in the worklet under half a block plus 10 ms (the worklet reports
/// every 10 ms), so the browser adds little to the badge's own jitter buffer.
/// </summary>
internal sealed class BrowserPlayback(int samplesPerBlock) : IAudioPlayback
{
    private int _rate = 8000;
    private byte[] _bytes = [];

    public bool CanWrite => JsWalkie.PlaybackQueued() < samplesPerBlock / 2 + _rate / 100;

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
