using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalkieTalkie.PowerModel;

/// <summary>Reads and validates the parameters JSON (hardware/power-model.json).</summary>
public static class PowerParametersFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Loads a parameters file.</summary>
    /// <exception cref="PowerModelException">Unreadable, not JSON, or inconsistent.</exception>
    public static PowerParameters Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PowerModelException($"cannot read {path}: {e.Message}", e);
        }

        return Parse(json);
    }

    /// <summary>Parses and validates parameters.</summary>
    /// <exception cref="PowerModelException">Not JSON, or inconsistent.</exception>
    public static PowerParameters Parse(string json)
    {
        PowerParameters? parameters;
        try
        {
            parameters = JsonSerializer.Deserialize<PowerParameters>(json, Options);
        }
        catch (JsonException e)
        {
            throw new PowerModelException($"not valid power model JSON: {e.Message}", e);
        }

        if (parameters is null)
        {
            throw new PowerModelException("the parameters file is empty");
        }

        Validate(parameters);
        return parameters;
    }

    private static void Validate(PowerParameters parameters)
    {
        var cell = parameters.Cell;
        Require(cell.CapacityMilliampHours > 0, "cell.capacityMilliampHours must be positive");
        Require(cell.UsableFraction is > 0 and <= 1, "cell.usableFraction must be in (0, 1]");
        Require(cell.NominalVolts > 0, "cell.nominalVolts must be positive");

        foreach (var (name, figure) in parameters.Figures)
        {
            var byCurrent = figure.Milliamps is not null;
            var byPower = figure.Milliwatts is not null;
            Require(byCurrent != byPower, $"figure {name} must give either milliamps or milliwatts");
            Require(!byCurrent || figure.Milliamps >= 0, $"figure {name}: milliamps must not be negative");
            Require(!byPower || (figure.Milliwatts >= 0 && figure.Efficiency is > 0 and <= 1),
                $"figure {name}: milliwatts needs an efficiency in (0, 1]");
            Require(!string.IsNullOrWhiteSpace(figure.Source), $"figure {name} has no source");
        }

        foreach (var state in PowerParameters.RequiredStates)
        {
            Require(parameters.States.ContainsKey(state), $"state {state} is missing");
        }

        foreach (var (state, loads) in parameters.States)
        {
            foreach (var load in loads)
            {
                Require(parameters.Figures.ContainsKey(load.Figure), $"state {state} uses unknown figure {load.Figure}");
                Require(load.Duty is >= 0 and <= 1, $"state {state}: duty of {load.Figure} must be in [0, 1]");
            }
        }

        Require(parameters.Profiles.Length > 0, "no profiles");
        foreach (var profile in parameters.Profiles)
        {
            var active = profile.TalkMinutesPerHour + profile.ListenMinutesPerHour;
            Require(profile.TalkMinutesPerHour >= 0 && profile.ListenMinutesPerHour >= 0 && active <= 60,
                $"profile {profile.Name}: talk and listen minutes must be non-negative and fit in an hour");
            if (profile.Mode == IdleMode.Pocket)
            {
                Require(profile.CheckInSeconds > 0 && profile.AwakeSecondsPerCheckIn >= 0,
                    $"profile {profile.Name}: pocket mode needs checkInSeconds > 0 and awakeSecondsPerCheckIn >= 0");
                Require(profile.AwakeSecondsPerCheckIn <= profile.CheckInSeconds,
                    $"profile {profile.Name}: a check-in cannot be awake longer than its interval");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new PowerModelException(message);
        }
    }
}
