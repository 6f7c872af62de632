using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>The protocol's names of control message types (docs/protocol.md), for logs.</summary>
internal static class ControlNames
{
    public static string Of(byte type) => type switch
    {
        MessageType.FloorGranted => "floor-granted",
        MessageType.FloorDenied => "floor-denied",
        MessageType.FloorRevoked => "floor-revoked",
        MessageType.BurstStart => "burst-start",
        MessageType.BurstEnd => "burst-end",
        MessageType.Wake => "wake",
        MessageType.UnplayedList => "unplayed-list",
        MessageType.PermitOffer => "permit-offer",
        MessageType.PermitRevoked => "permit-revoked",
        MessageType.Config => "config",
        _ => $"type 0x{type:x2}",
    };
}
