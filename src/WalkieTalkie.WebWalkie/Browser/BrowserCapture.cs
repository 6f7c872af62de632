using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>
/// The microphone: the capture worklet's 16-bit samples (already at the channel's rate) wait in a ring until the badge
/// reads a block. The worklet runs from the first press on, so a grant finds the microphone open.
/// </summary>
internal sealed class BrowserCapture : IAudioCapture
{
    private readonly short[] _ring = new short[16384];
    private int _read;
    private int _count;
    private bool _running;

    public void Start(int sampleRate)
    {
        _read = 0;
        _count = 0;
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

        _read = (_read + count) % _ring.Length;
        _count -= count;
        return true;
    }

    public void OnCaptured(byte[] bytes)
    {
        if (!_running)
        {
            return;
        }

        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            if (_count == _ring.Length)
            {
                // The badge fell behind by two seconds: the oldest sample goes.
                _read = (_read + 1) % _ring.Length;
                _count--;
            }

            _ring[(_read + _count) % _ring.Length] = (short)(bytes[i] | bytes[i + 1] << 8);
            _count++;
        }
    }
}
