using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>How a room's Megolm session is shared and rotated.</summary>
public sealed record EncryptionSettings
{
    /// <summary>The room's rotation (from its <c>m.room.encryption</c> state: <see cref="MegolmRotationPolicy.FromEncryptionEvent"/>).</summary>
    public MegolmRotationPolicy Rotation { get; init; } = MegolmRotationPolicy.Default;

    /// <summary>Share room keys only with devices their owner cross-signed (spec v1.18 "recommended client behaviour",
    /// Element's "exclude insecure devices"). Other devices get <c>m.room_key.withheld</c> with <c>m.unverified</c>.
    /// Default true.</summary>
    public bool OnlyCrossSignedDevices { get; init; } = true;

    /// <summary><c>shared_history</c> in <c>m.room_key</c>: true when history visibility is shared or world_readable.</summary>
    public bool SharedHistory { get; init; }

    /// <summary>The defaults.</summary>
    public static readonly EncryptionSettings Default = new();
}
