using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WalkieTalkie.Provision.Provisioning;

/// <summary>
/// Gets a badge's credentials from the gateway's admin CLI: <c>walkie badge add {id}</c> prints the new secret once,
/// <c>walkie tls show</c> prints the site certificate as PEM. The CLI is run as a process (by default
/// <c>walkie</c> on the PATH), with any leading arguments given, e.g. <c>--data /var/lib/walkie</c>.
/// </summary>
public sealed partial class GatewayCli(string executable, IReadOnlyList<string> leadingArguments)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Adds the badge to the gateway (or rotates its secret when <paramref name="rotate"/>) and returns its credentials.</summary>
    /// <exception cref="ProvisionException">The CLI failed, timed out, or printed something unexpected.</exception>
    public BadgeCredentials Issue(string badgeId, string? name, bool rotate)
    {
        var arguments = rotate ? new List<string> { "badge", "rotate-secret", badgeId } : new List<string> { "badge", "add", badgeId };
        if (!rotate && name is not null)
        {
            arguments.AddRange(["--name", name]);
        }

        var output = Run(arguments);
        var match = SecretLine().Match(output);
        if (!match.Success)
        {
            throw new ProvisionException($"the gateway CLI printed no secret for {badgeId}: {output.Trim()}");
        }

        var pem = ExtractPem(Run(["tls", "show"]));
        return new BadgeCredentials(badgeId, match.Groups[1].Value, pem);
    }

    /// <summary>The first PEM certificate block in <paramref name="text"/>.</summary>
    /// <exception cref="ProvisionException">There is none.</exception>
    public static string ExtractPem(string text)
    {
        var match = PemBlock().Match(text);
        if (!match.Success)
        {
            throw new ProvisionException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }

        return match.Value.ReplaceLineEndings("\n") + "\n";
    }

    private string Run(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in leadingArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ProvisionException($"cannot start {executable}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProvisionException($"cannot start the gateway CLI '{executable}': {e.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(true);
                throw new ProvisionException($"the gateway CLI did not finish in {Timeout.TotalSeconds} s");
            }

            if (process.ExitCode != 0)
            {
                throw new ProvisionException($"the gateway CLI failed ({process.ExitCode}): {error.Result.Trim()} {output.Result.Trim()}".Trim());
            }

            return output.Result;
        }
    }

    [GeneratedRegex(@"secret[^:\n]*:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")]
    private static partial Regex PemBlock();
}
