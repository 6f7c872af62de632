using System.Globalization;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>When push-to-talk is held: intervals in seconds from the start of the run.</summary>
public sealed class PttScript
{
    private readonly (double Press, double Release)[] _holds;

    public PttScript(IEnumerable<(double PressSeconds, double ReleaseSeconds)> holds)
    {
        _holds = holds.OrderBy(h => h.PressSeconds).ToArray();
        for (var i = 0; i < _holds.Length; i++)
        {
            var (press, release) = _holds[i];
            if (press < 0 || release <= press)
            {
                throw new VirtualBadgeException($"push-to-talk {press}-{release}: a hold must release after it presses, at or after 0");
            }

            if (i > 0 && press <= _holds[i - 1].Release)
            {
                throw new VirtualBadgeException($"push-to-talk {press}-{release} overlaps the hold before it");
            }
        }
    }

    /// <summary>Never pressed.</summary>
    public static PttScript None { get; } = new([]);

    /// <summary>The holds, in order.</summary>
    public IReadOnlyList<(double Press, double Release)> Holds => _holds;

    /// <summary>When the last hold releases (0 without holds).</summary>
    public double EndSeconds => _holds.Length == 0 ? 0 : _holds[^1].Release;

    /// <summary>Parses <c>PRESS-RELEASE</c> holds separated by <c>;</c> or <c>/</c>, in seconds: <c>0.5-3.5;6-8</c>.</summary>
    public static PttScript Parse(string text)
    {
        var holds = new List<(double, double)>();
        foreach (var part in text.Split([';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length != 2
                || !double.TryParse(bounds[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var press)
                || !double.TryParse(bounds[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var release))
            {
                throw new VirtualBadgeException($"push-to-talk '{part}': expected PRESS-RELEASE in seconds, like 0.5-3.5");
            }

            holds.Add((press, release));
        }

        return new PttScript(holds);
    }

    /// <summary>True while a hold covers <paramref name="milliseconds"/> since the start.</summary>
    public bool IsDown(long milliseconds)
    {
        var seconds = milliseconds / 1000.0;
        foreach (var (press, release) in _holds)
        {
            if (seconds >= press && seconds < release)
            {
                return true;
            }
        }

        return false;
    }
}
