using System.Text.Json;

namespace WalkieTalkie.Bridge.Events;

/// <summary>Typed reads of content keys that turn every surprise into a rejection instead of an exception.</summary>
internal static class JsonFields
{
    /// <summary>The range of integers canonical JSON allows in Matrix events: [-(2^53)+1, (2^53)-1].</summary>
    public const long MaxSafeInteger = 9007199254740991;

    /// <summary>The last millisecond a <see cref="DateTimeOffset"/> holds (the end of the year 9999).</summary>
    private static readonly long MaxTimestamp = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static bool TryGetSafeInteger(JsonElement value, out long result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out result)
            && result is >= -MaxSafeInteger and <= MaxSafeInteger;
    }

    public static EventRejection? RequireString(JsonElement content, string field, out string value)
    {
        value = string.Empty;
        if (!content.TryGetProperty(field, out var element))
        {
            return new EventRejection(RejectionCode.FieldMissing, $"\"{field}\" is required", field);
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return new EventRejection(RejectionCode.FieldWrongType, $"\"{field}\" must be a string", field);
        }

        value = element.GetString()!;
        return null;
    }

    public static EventRejection? RequireBool(JsonElement content, string field, out bool value)
    {
        value = false;
        if (!content.TryGetProperty(field, out var element))
        {
            return new EventRejection(RejectionCode.FieldMissing, $"\"{field}\" is required", field);
        }

        return ReadBool(element, field, out value);
    }

    public static EventRejection? OptionalBool(JsonElement content, string field, bool absent, out bool value)
    {
        value = absent;
        if (!content.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return ReadBool(element, field, out value);
    }

    public static EventRejection? RequireInteger(JsonElement content, string field, out long value)
    {
        value = 0;
        if (!content.TryGetProperty(field, out var element))
        {
            return new EventRejection(RejectionCode.FieldMissing, $"\"{field}\" is required", field);
        }

        return ReadInteger(element, field, out value);
    }

    /// <summary>An optional integer; JSON null reads as absent.</summary>
    public static EventRejection? OptionalInteger(JsonElement content, string field, out long? value)
    {
        value = null;
        if (!content.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var rejection = ReadInteger(element, field, out var read);
        if (rejection is null)
        {
            value = read;
        }

        return rejection;
    }

    /// <summary>An optional timestamp in milliseconds since the epoch: a non-negative safe integer.</summary>
    public static EventRejection? OptionalTimestamp(JsonElement content, string field, out DateTimeOffset? value)
    {
        value = null;
        var rejection = OptionalInteger(content, field, out var ms);
        if (rejection is not null)
        {
            return rejection;
        }

        if (ms is null)
        {
            return null;
        }

        if (ms < 0)
        {
            return new EventRejection(RejectionCode.FieldOutOfRange, $"\"{field}\" must not be negative", field);
        }

        if (ms > MaxTimestamp)
        {
            return new EventRejection(RejectionCode.FieldOutOfRange, $"\"{field}\" must lie before the year 10000", field);
        }

        value = DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);
        return null;
    }

    private static EventRejection? ReadBool(JsonElement element, string field, out bool value)
    {
        value = false;
        switch (element.ValueKind)
        {
            case JsonValueKind.True: value = true; return null;
            case JsonValueKind.False: return null;
            default: return new EventRejection(RejectionCode.FieldWrongType, $"\"{field}\" must be true or false", field);
        }
    }

    private static EventRejection? ReadInteger(JsonElement element, string field, out long value)
    {
        if (TryGetSafeInteger(element, out value))
        {
            return null;
        }

        return new EventRejection(RejectionCode.FieldWrongType, $"\"{field}\" must be an integer within ±(2^53-1)", field);
    }
}
