namespace WalkieTalkie.Fuzz;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> feeds it one input and returns whether the parser accepted or refused
/// it; a refusal is the parser's documented way to say no (an error code, its own exception type). Anything else it
/// throws, and any broken round trip the target checks, escapes <see cref="Run"/>: that is a crash.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>What the target feeds, for <c>scripts/fuzz --list</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The assemblies (file names without .dll) holding the code under test: the only ones scripts/fuzz instruments.</summary>
    public abstract IReadOnlyList<string> Libraries { get; }

    /// <summary>Feeds one input to the parser.</summary>
    public abstract FuzzOutcome Run(byte[] input);

    /// <summary>Valid inputs made by the project's own encoders and serialisers, some of them truncated.</summary>
    public abstract IEnumerable<byte[]> Seeds();

    /// <summary>Tokens worth splicing into inputs (JSON keys, magic strings), given to afl-fuzz as its dictionary.</summary>
    public virtual IEnumerable<string> DictionaryTokens() => [];

    /// <summary>Runs <paramref name="parse"/>: refused when it throws <typeparamref name="TRefusal"/>, the parser's documented refusal.</summary>
    protected static FuzzOutcome Outcome<TRefusal>(Action parse)
        where TRefusal : Exception
    {
        try
        {
            parse();
            return FuzzOutcome.Accepted;
        }
        catch (TRefusal)
        {
            return FuzzOutcome.Refused;
        }
    }

    /// <summary>The input cut after <paramref name="length"/> bytes.</summary>
    protected static byte[] Truncated(byte[] input, int length) => input[..Math.Clamp(length, 0, input.Length)];

    /// <summary>A valid seed followed by cuts of it: the header only, half, and all but its last byte.</summary>
    protected static IEnumerable<byte[]> WithTruncations(byte[] valid, int headerLength)
    {
        yield return valid;
        yield return Truncated(valid, headerLength);
        yield return Truncated(valid, valid.Length / 2);
        yield return Truncated(valid, valid.Length - 1);
    }
}
