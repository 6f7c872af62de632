using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Device;

/// <summary>Where a <see cref="MatrixDevice"/> keeps its state, and how it paces itself.</summary>
public sealed record MatrixDeviceOptions
{
    /// <summary>The key store: the SQLite file holding this device's crypto state and sync token, encrypted at rest.</summary>
    public required string KeyStorePath { get; init; }

    /// <summary>A file holding the key store's 32-byte key (created with mode 0600 on first start when missing).
    /// Ignored when <see cref="KeyStoreKey"/> is given.</summary>
    public string? KeyStoreKeyFile { get; init; }

    /// <summary>The key store's 32-byte key itself (e.g. from an environment variable the operator sets).</summary>
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
}
