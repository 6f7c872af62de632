using System.Diagnostics.CodeAnalysis;

namespace WalkieTalkie.Bridge.Events;

/// <summary>The outcome of parsing untrusted input: a value, or the reason it was refused. Parsers never throw.</summary>
/// <typeparam name="T">The parsed value.</typeparam>
public readonly record struct Parsed<T> where T : class
{
    private Parsed(T? value, EventRejection? rejection)
    {
        Value = value;
        Rejection = rejection;
    }

    /// <summary>The value, when <see cref="IsValid"/>.</summary>
    public T? Value { get; }

    /// <summary>Why the input was refused, when not <see cref="IsValid"/>.</summary>
    public EventRejection? Rejection { get; }

    /// <summary>True when the input was accepted.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Value is not null;

    /// <summary>An accepted value.</summary>
    public static Parsed<T> Ok(T value) => new(value, null);

    /// <summary>A refusal.</summary>
    public static Parsed<T> Fail(EventRejection rejection) => new(null, rejection);

    /// <summary>A refusal.</summary>
    public static Parsed<T> Fail(RejectionCode code, string message, string? field = null) =>
        new(null, new EventRejection(code, message, field));

    /// <summary>Converts a failure of another type, keeping its reason.</summary>
    public static implicit operator Parsed<T>(EventRejection rejection) => Fail(rejection);
}
