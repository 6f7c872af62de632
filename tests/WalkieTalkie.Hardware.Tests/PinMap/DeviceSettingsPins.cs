using System.Text.Json;

namespace WalkieTalkie.Hardware.Tests.PinMap;

/// <summary>Reads the "pins" object and the board module of nf.settings.json.</summary>
public static class DeviceSettingsPins
{
    /// <summary>The pins, in file order.</summary>
    /// <exception cref="PinMapFormatException">Not JSON, no pins object, or a pin without a valid gpio or direction.</exception>
    public static IReadOnlyList<PinAssignment> Parse(string json)
    {
        using var document = Load(json);
        if (!document.RootElement.TryGetProperty("pins", out var pins) || pins.ValueKind != JsonValueKind.Object)
        {
            throw new PinMapFormatException("nf.settings.json has no \"pins\" object");
        }

        var result = new List<PinAssignment>();
        foreach (var pin in pins.EnumerateObject())
        {
            result.Add(ParsePin(pin));
        }

        return result;
    }

    /// <summary>board.module, or null when absent.</summary>
    /// <exception cref="PinMapFormatException">Not JSON.</exception>
    public static string? Module(string json)
    {
        using var document = Load(json);
        return document.RootElement.TryGetProperty("board", out var board)
            && board.TryGetProperty("module", out var module)
            && module.ValueKind == JsonValueKind.String
            ? module.GetString()
            : null;
    }

    private static PinAssignment ParsePin(JsonProperty pin)
    {
        if (pin.Value.ValueKind != JsonValueKind.Object
            || !pin.Value.TryGetProperty("gpio", out var gpio)
            || gpio.ValueKind != JsonValueKind.Number
            || !gpio.TryGetInt32(out var number))
        {
            throw new PinMapFormatException($"pin \"{pin.Name}\" has no integer \"gpio\"");
        }

        var direction = pin.Value.TryGetProperty("direction", out var value) ? value.GetString() : null;
        var parsedDirection = direction switch
        {
            "in" => PinDirection.In,
            "out" => PinDirection.Out,
            "analog" => PinDirection.Analog,
            _ => throw new PinMapFormatException($"pin \"{pin.Name}\": direction must be in, out or analog"),
        };

        var wakes = pin.Value.TryGetProperty("wake", out var wake) && wake.ValueKind == JsonValueKind.String;
        var deviceFunction = pin.Value.TryGetProperty("deviceFunction", out var function) ? function.GetString() : null;
        return new PinAssignment(pin.Name, number, parsedDirection, wakes, deviceFunction);
    }

    private static JsonDocument Load(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new PinMapFormatException("nf.settings.json is not valid JSON: " + e.Message);
        }
    }
}
