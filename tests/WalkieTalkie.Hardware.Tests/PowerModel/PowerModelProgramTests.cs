using System.Diagnostics;
using WalkieTalkie.PowerModel;

namespace WalkieTalkie.Hardware.Tests.PowerModel;

/// <summary>The tool itself, run as the README says, on the repository's parameters.</summary>
public class PowerModelProgramTests
{
    private static readonly string ParametersPath = RepositoryFiles.PathOf("hardware/power-model.json");

    [Fact]
    public void The_tool_prints_a_row_per_profile_with_the_models_numbers()
    {
        var (exitCode, output, _) = RunTool(ParametersPath);

        Assert.Equal(0, exitCode);
        var parameters = PowerParametersFile.Load(ParametersPath);
        var model = new BatteryLifeModel(parameters);
        var rows = ProfileRows(output);
        Assert.Equal(parameters.Profiles.Length, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var hours = model.BatteryHours(parameters.Profiles[i]).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"| {hours} |", rows[i]);
        }
    }

    [Fact]
    public void The_readme_shows_the_tools_current_table()
    {
        var (_, output, _) = RunTool(ParametersPath);
        var readme = File.ReadAllText(RepositoryFiles.PathOf("hardware/README.md"));

        foreach (var line in ProfileRows(output))
        {
            Assert.Contains(line, readme);
        }
    }

    [Fact]
    public void A_missing_file_is_an_error_with_exit_code_1()
    {
        var (exitCode, _, error) = RunTool(Path.Combine(Path.GetTempPath(), "no-such-power-model.json"));

        Assert.Equal(1, exitCode);
        Assert.StartsWith("power model: cannot read", error);
    }

    /// <summary>The battery table's data rows: the ones with eight cells that start with a mode.</summary>
    private static List<string> ProfileRows(string output) => output.Split('\n')
        .Select(line => line.TrimEnd())
        .Where(line => line.Count(c => c == '|') == 9 && (line.StartsWith("| standby |") || line.StartsWith("| pocket |")))
        .ToList();

    private static (int ExitCode, string Output, string Error) RunTool(string parametersPath)
    {
        var tool = typeof(BatteryLifeModel).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        start.ArgumentList.Add(parametersPath);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the power model tool did not finish in 60 s");
        return (process.ExitCode, output.Result.Replace("\r\n", "\n"), error.Result);
    }
}
