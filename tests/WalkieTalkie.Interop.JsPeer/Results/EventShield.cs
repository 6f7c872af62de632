namespace WalkieTalkie.Interop;

/// <summary>The shield js-sdk shows on a decrypted event (<c>getEncryptionInfoForEvent</c>).</summary>
/// <param name="Colour"><c>EventShieldColour</c>: 0 NONE, 1 GREY, 2 RED.</param>
/// <param name="ColourName">The enum member's name (NONE, GREY, RED).</param>
/// <param name="Reason"><c>EventShieldReason</c> or null: 1 UNVERIFIED_IDENTITY, 2 UNSIGNED_DEVICE, 3 UNKNOWN_DEVICE,
/// 4 AUTHENTICITY_NOT_GUARANTEED, 7 VERIFICATION_VIOLATION, 8 MISMATCHED_SENDER…</param>
/// <param name="ReasonName">The enum member's name, e.g. <c>UNSIGNED_DEVICE</c>.</param>
public sealed record EventShield(int Colour, string? ColourName, int? Reason, string? ReasonName)
{
    /// <summary>True when Element shows no shield at all.</summary>
    public bool IsNone => Colour == 0;
}
