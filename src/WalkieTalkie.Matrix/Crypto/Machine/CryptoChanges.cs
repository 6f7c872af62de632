using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>What changed in a machine since the last <see cref="OlmMachine.TakeChanges"/>, for the key store to write
/// in one transaction. It holds private state in the clear: hand it to the store and drop it.</summary>
public sealed class CryptoChanges
{
    internal byte[]? Account { get; set; }
    internal byte[]? CrossSigning { get; set; }
    internal List<(string SenderKey, string SessionId, byte[] State)> OlmSessions { get; } = new();
    internal List<(RoomKey Key, byte[] State)> RoomKeys { get; } = new();
    internal List<(string RoomId, byte[]? State)> OutboundSessions { get; } = new();
    internal List<MegolmReplayEntry> ReplayEntries { get; } = new();
    internal byte[] Metadata { get; init; } = [];

    /// <summary>The user and device the changes belong to.</summary>
    public required string UserId { get; init; }
    /// <summary>The device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>How many records the changes hold (for logs and tests).</summary>
    public int Count => (Account is null ? 0 : 1) + (CrossSigning is null ? 0 : 1) + OlmSessions.Count + RoomKeys.Count
        + OutboundSessions.Count + ReplayEntries.Count + 1;
}

/// <summary>A machine's saved state as the key store reads it back (plaintext, in memory only).</summary>
internal sealed class MachineState
{
    public required byte[] Account { get; init; }
    public byte[]? CrossSigning { get; init; }
    public required byte[] Metadata { get; init; }
    public List<(string SenderKey, byte[] State)> OlmSessions { get; } = new();
    public List<(string RoomId, string SenderUserId, string SenderCurve25519Key, string SenderEd25519Key, byte[] State)> RoomKeys { get; } = new();
    public List<(string RoomId, byte[] State)> OutboundSessions { get; } = new();
    public List<MegolmReplayEntry> ReplayEntries { get; } = new();
}
