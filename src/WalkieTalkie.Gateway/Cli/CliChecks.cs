using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>Range checks on numeric arguments and options: a value out of range is a parse error (exit code 1), like a missing argument.</summary>
public static class CliChecks
{
    public static Argument<int> InRange(this Argument<int> argument, int min, int max)
    {
        argument.Validators.Add(result => CheckRange(result, argument.Name, min, max));
        return argument;
    }

    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result => CheckRange(result.Tokens, result.AddError, option.Name, min, max));
        return option;
    }

    private static void CheckRange(ArgumentResult result, string name, int min, int max) => CheckRange(result.Tokens, result.AddError, name, min, max);

    // Reads the token itself: a value that is not a number at all is the parser's own error, and asking the result
    // for its value then would throw instead of reporting it. No token: the default, which is in range.
    private static void CheckRange(IReadOnlyList<Token> tokens, Action<string> addError, string name, int min, int max)
    {
        if (tokens.Count != 1 || !int.TryParse(tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return;
        }

        if (value < min || value > max)
        {
            addError($"{name} must be {min}-{max}, not {value}");
        }
    }
}
