using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>
/// The microphone: the capture worklet's 16-bit samples (already at the channel's rate) wait in a ring until the badge
/// reads a block. The worklet runs from the first press on, so a grant finds the microphone open. When each post's first
/// sample entered the microphone is kept for the last second or so, so the last block read can say when it was spoken.
/// </summary>
internal sealed class BrowserCapture : IAudioCapture
{
    private readonly short[] _ring = new short[16384];
    private readonly long[] _postStart = new long[64];
    private readonly double[] _postAt = new double[64];
    private int _read;
    private int _count;
    private int _rate = 8000;
    private long _written;
    private long _taken;
    private int _posts;
    private bool _running;

    /// <summary>When the first sample of the block last read entered the microphone (Unix ms), or NaN when that is no longer known.</summary>
    public double LastBlockSpokenAt { get; private set; } = double.NaN;

    public void Start(int sampleRate)
    {
        _read = 0;
        _count = 0;
        _rate = sampleRate;
        _written = 0;
        _taken = 0;
        _posts = 0;
        _running = true;
        _ = JsWalkie.CaptureStartAsync(sampleRate);
    }

    public void Stop()
    {
        _running = false;
        JsWalkie.CaptureStop();
    }

    public bool Read(short[] samples, int offset, int count)
    {
        if (_count < count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            samples[offset + i] = _ring[(_read + i) % _ring.Length];
        }

        LastBlockSpokenAt = SpokenAt(_taken);
        _read = (_read + count) % _ring.Length;
        _count -= count;
        _taken += count;
        return true;
    }

    /// <param name="bytes">16-bit little-endian samples at the channel's rate.</param>
    /// <param name="at">When the first of them entered the microphone (Unix ms).</param>
    public void OnCaptured(byte[] bytes, double at)
    {
        if (!_running)
        {
            return;
        }

        _postStart[_posts % _postStart.Length] = _written;
        _postAt[_posts % _postAt.Length] = at;
        _posts++;
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            if (_count == _ring.Length)
            {
                // The badge fell behind by two seconds: the oldest sample goes.
                _read = (_read + 1) % _ring.Length;
                _count--;
                _taken++;
            }

            _ring[(_read + _count) % _ring.Length] = (short)(bytes[i] | bytes[i + 1] << 8);
            _count++;
            _written++;
        }
    }

    // The time of the sample with this index since the start, from the latest post that began at or before it.
    private double SpokenAt(long sample)
    {
        var oldest = Math.Max(0, _posts - _postStart.Length);
        for (var post = _posts - 1; post >= oldest; post--)
        {
            var start = _postStart[post % _postStart.Length];
            if (start <= sample)
            {
                return _postAt[post % _postAt.Length] + (sample - start) * 1000.0 / _rate;
            }
        }

        return double.NaN;
    }
}
