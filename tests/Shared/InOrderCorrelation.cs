namespace WalkieTalkie.Tests.Shared;

/// <summary>
/// How much of a reference is heard in a recording made on a wall-clock timeline (a badge's speaker output), where a
/// stall of a loaded machine inserts silence and shifts everything after it. One lag for the whole reference would
/// score such a recording low although every part of the message was played; here the reference is cut into pieces,
/// each found on its own, no earlier than the piece before it ended (so the parts must be heard in order), and the
/// score is the energy-weighted mean of the pieces' normalised cross-correlations.
/// </summary>
public static class InOrderCorrelation
{
    /// <summary>The result: the weighted score, and how many pieces scored below <c>pieceFloor</c> of <see cref="Score"/>.</summary>
    public readonly record struct Result(double Score, int Pieces, int WeakPieces);

    /// <param name="reference">What should be heard.</param>
    /// <param name="heard">The recording.</param>
    /// <param name="pieceSamples">Piece length (half a second is long enough for a sharp, unambiguous peak).</param>
    /// <param name="firstMaxLag">How far into the recording the first piece may start.</param>
    /// <param name="firstMinLag">How far into the recording the first piece starts at the earliest.</param>
    /// <param name="maxGap">How much later than the end of the previous piece a piece may start (the longest stall).</param>
    /// <param name="pieceFloor">A piece under this is counted weak.</param>
    public static Result Score(short[] reference, short[] heard, int pieceSamples, int firstMaxLag, int maxGap, double pieceFloor = 0.5,
        int firstMinLag = 0)
    {
        double weighted = 0, totalEnergy = 0;
        int pieces = 0, weak = 0;
        var from = Math.Max(0, firstMinLag);
        var to = firstMaxLag;
        for (var start = 0; start + pieceSamples / 2 <= reference.Length; start += pieceSamples)
        {
            var length = Math.Min(pieceSamples, reference.Length - start);
            var energy = Energy(reference, start, length);
            if (energy == 0)
            {
                continue;
            }

            var (peak, lag) = Best(reference, start, length, energy, heard, from, to);
            weighted += peak * energy;
            totalEnergy += energy;
            pieces++;
            if (peak < pieceFloor)
            {
                weak++;
            }

            if (lag >= 0)
            {
                from = lag + length;
                to = from + maxGap;
            }
            else
            {
                to += length;
            }
        }
        return new Result(totalEnergy > 0 ? weighted / totalEnergy : 0, pieces, weak);
    }

    private static (double Peak, int Lag) Best(short[] reference, int start, int length, double energy, short[] heard, int from, int to)
    {
        var best = (Peak: 0.0, Lag: -1);
        to = Math.Min(to, heard.Length - length);
        // Coarse, then one by one around the best: a speech or tone peak is wider than a couple of samples.
        for (var lag = from; lag <= to; lag += 2)
        {
            var score = At(reference, start, length, energy, heard, lag);
            if (score > best.Peak)
            {
                best = (score, lag);
            }
        }
        if (best.Lag >= 0)
        {
            var around = best.Lag;
            for (var lag = Math.Max(from, around - 1); lag <= Math.Min(to, around + 1); lag++)
            {
                var score = At(reference, start, length, energy, heard, lag);
                if (score > best.Peak)
                {
                    best = (score, lag);
                }
            }
        }
        return best;
    }

    private static double At(short[] reference, int start, int length, double energy, short[] heard, int lag)
    {
        double dot = 0, heardEnergy = 0;
        for (var i = 0; i < length; i++)
        {
            double y = heard[lag + i];
            dot += reference[start + i] * y;
            heardEnergy += y * y;
        }
        return heardEnergy > 0 ? dot / Math.Sqrt(energy * heardEnergy) : 0;
    }

    private static double Energy(short[] samples, int start, int length)
    {
        double energy = 0;
        for (var i = start; i < start + length; i++)
        {
            energy += (double)samples[i] * samples[i];
        }

        return energy;
    }
}
