using System.Text.RegularExpressions;

namespace WalkieTalkie.Hardware.Tests.PinMap;

/// <summary>
/// Reads the pin map from hardware/README.md: the first markdown table under the "## Pin map" heading, with the
/// columns GPIO | Function | Direction | Notes. The signal's name is the first `backticked` word of Function;
/// Direction is "in", "out" or "analog", with " (wake)" for a deep-sleep wake pin.
/// </summary>
public static partial class PinMapTable
{
    private const string Heading = "## Pin map";

    /// <summary>Parses the table.</summary>
    /// <exception cref="PinMapFormatException">No such section or table, or a row that does not parse.</exception>
    public static IReadOnlyList<PinAssignment> Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var start = Array.FindIndex(lines, line => line.TrimEnd() == Heading);
        if (start < 0)
        {
            throw new PinMapFormatException($"no \"{Heading}\" section");
        }

        var header = -1;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (lines[i].TrimStart().StartsWith('|'))
            {
                header = i;
                break;
            }
        }

        if (header < 0)
        {
            throw new PinMapFormatException($"no table in the \"{Heading}\" section");
        }

        var columns = Cells(lines[header]);
        if (!columns.SequenceEqual(["GPIO", "Function", "Direction", "Notes"]))
        {
            throw new PinMapFormatException("pin map columns must be GPIO | Function | Direction | Notes, found " + string.Join(" | ", columns));
        }

        var pins = new List<PinAssignment>();
        for (var i = header + 2; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
        {
            pins.Add(ParseRow(Cells(lines[i]), i + 1));
        }

        if (pins.Count == 0)
        {
            throw new PinMapFormatException("the pin map table has no rows");
        }

        return pins;
    }

    private static PinAssignment ParseRow(string[] cells, int lineNumber)
    {
        if (cells.Length != 4)
        {
            throw new PinMapFormatException($"line {lineNumber}: expected 4 cells, found {cells.Length}");
        }

        if (!int.TryParse(cells[0], out var gpio))
        {
            throw new PinMapFormatException($"line {lineNumber}: GPIO \"{cells[0]}\" is not a number");
        }

        var name = BacktickedName().Match(cells[1]);
        if (!name.Success)
        {
            throw new PinMapFormatException($"line {lineNumber}: Function names no `signal`");
        }

        var deviceFunction = DeviceFunctionName().Match(cells[1]);
        var direction = cells[2];
        var wakes = direction.EndsWith("(wake)", StringComparison.Ordinal);
        if (wakes)
        {
            direction = direction[..^"(wake)".Length].TrimEnd();
        }

        var parsedDirection = direction switch
        {
            "in" => PinDirection.In,
            "out" => PinDirection.Out,
            "analog" => PinDirection.Analog,
            _ => throw new PinMapFormatException($"line {lineNumber}: direction \"{cells[2]}\" is not in, out or analog"),
        };

        return new PinAssignment(name.Groups[1].Value, gpio, parsedDirection, wakes,
            deviceFunction.Success ? deviceFunction.Groups[1].Value : null);
    }

    private static string[] Cells(string row)
    {
        var trimmed = row.Trim();
        if (trimmed.StartsWith('|'))
        {
            trimmed = trimmed[1..];
        }

        if (trimmed.EndsWith('|'))
        {
            trimmed = trimmed[..^1];
        }

        return trimmed.Split('|').Select(cell => cell.Trim()).ToArray();
    }

    [GeneratedRegex("`([A-Za-z][A-Za-z0-9]*)`")]
    private static partial Regex BacktickedName();

    [GeneratedRegex(@"\((I2S[12]_[A-Z_]+|ADC1_CH[0-9]+)\)")]
    private static partial Regex DeviceFunctionName();
}
