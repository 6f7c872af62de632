using System.CommandLine;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>Range checks on numeric arguments and options: a value out of range is a parse error (exit code 1), like a missing argument.</summary>
public static class CliChecks
{
    public static Argument<int> InRange(this Argument<int> argument, int min, int max)
    {
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{argument.Name} must be {min}-{max}, not {value}");
            }
        });
        return argument;
    }

    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{option.Name} must be {min}-{max}, not {value}");
            }
        });
        return option;
    }
}
