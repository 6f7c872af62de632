using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>What became of one to-device event.</summary>
public enum ToDeviceOutcome
{
    /// <summary>Olm-decrypted and checked; <see cref="ProcessedToDeviceEvent.Type"/> and content are the inner event's.</summary>
    Decrypted,
    /// <summary>Sent in the clear (e.g. <c>m.room_key.withheld</c>, <c>m.room_key_request</c>).</summary>
    Plaintext,
    /// <summary>Understood but refused by policy (a room key in the clear, a forwarded room key).</summary>
    Refused,
    /// <summary>Could not be decrypted or failed the Olm payload checks; see <see cref="ProcessedToDeviceEvent.Error"/>.</summary>
    Failed,
}

/// <summary>One to-device event after <see cref="OlmMachine.ReceiveSyncChanges"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Type">The event type (the inner one when decrypted).</param>
/// <param name="Sender">The sending user.</param>
/// <param name="Content">The content (the inner one when decrypted).</param>
/// <param name="SenderCurve25519Key">The sending device's Curve25519 key, for encrypted events.</param>
/// <param name="SenderDevice">The sending device when its keys are known and match.</param>
/// <param name="Error">Why it failed or was refused.</param>
public sealed record ProcessedToDeviceEvent(ToDeviceOutcome Outcome, string Type, string Sender, JsonObject Content,
    string? SenderCurve25519Key = null, DeviceKeysInfo? SenderDevice = null, string? Error = null)
{
    /// <summary>Outcome, type and sender only: the content may hold a room key, and must never reach a log.</summary>
    public override string ToString() => $"{Outcome} {Type} from {Sender}" + (Error is null ? "" : ": " + Error);
}
