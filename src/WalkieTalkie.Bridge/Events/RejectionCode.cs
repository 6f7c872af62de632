namespace WalkieTalkie.Bridge.Events;

/// <summary>Why a room event was not taken into account. Each maps to one rule of docs/protocol.md (MSC4002).</summary>
public enum RejectionCode
{
    /// <summary>The event is not shaped like a Matrix event (missing type, sender, content or timestamp).</summary>
    MalformedEvent,

    /// <summary>The event has a type this parser does not handle.</summary>
    WrongType,

    /// <summary>A state type arrived without a <c>state_key</c>.</summary>
    NotStateEvent,

    /// <summary>The channel event's <c>state_key</c> is not "".</summary>
    StateKeyNotEmpty,

    /// <summary>A per-device <c>state_key</c> is not <c>device/{user_id}/{device_id}</c>.</summary>
    StateKeyMalformed,

    /// <summary>The content is not a JSON object.</summary>
    ContentNotObject,

    /// <summary>A required content key is absent.</summary>
    FieldMissing,

    /// <summary>A content key has the wrong JSON type.</summary>
    FieldWrongType,

    /// <summary>A content value is outside what the spec allows.</summary>
    FieldOutOfRange,

    /// <summary>The content's <c>user_id</c> differs from the state key's.</summary>
    UserIdMismatch,

    /// <summary>The content's <c>device_id</c> differs from the state key's.</summary>
    DeviceIdMismatch,

    /// <summary>An accept was sent by someone other than the device's own user.</summary>
    SenderNotOwner,

    /// <summary>A permit's sender lacked the power level for the permit type at the event.</summary>
    SenderLacksPower,
}
