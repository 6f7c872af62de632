using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Device;

/// <summary>Where a <see cref="MatrixDevice"/> keeps its state, and how it paces itself.</summary>
public sealed record MatrixDeviceOptions
{
    /// <summary>The key store: this device's SQLite file holding its crypto state and sync token, every record sealed
    /// with the operator's key (one file per device).</summary>
    public required string KeyStorePath { get; init; }

    /// <summary>A file holding the key store's key (32 random bytes, as base64 or raw), made by the operator. When
    /// neither this nor <see cref="KeyStoreKey"/> is given, the key comes from <c>WALKIE_STORE_KEY</c>; there is no default.</summary>
    public string? KeyStoreKeyFile { get; init; }

    /// <summary>The key store's 32-byte key itself.</summary>
    public byte[]? KeyStoreKey { get; init; }

    /// <summary>The outbox's SQLite file (may be shared by many devices).</summary>
    public required string OutboxPath { get; init; }

    /// <summary>The account password, for the interactive auth a server may ask for when the device uploads its
    /// cross-signing keys. Not stored anywhere by the device.</summary>
    public string? AccountPassword { get; init; }

    /// <summary>How the sync loop polls.</summary>
    public SyncLoopOptions Sync { get; init; } = new();

    /// <summary>Backoff of the outbox between attempts.</summary>
    public RetryPolicy OutboxBackoff { get; init; } = new() { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(2) };

    /// <summary>How many recent decrypted room events are kept for <see cref="MatrixDevice.WaitForRoomEventAsync"/>.</summary>
    public int RecentEventCapacity { get; init; } = 256;

    /// <summary>Tests only: a device that never cross-signs itself (what Element's default mode refuses), to show
    /// that the peers' acceptance depends on it.</summary>
    internal bool SkipCrossSigningForTests { get; init; }
}
