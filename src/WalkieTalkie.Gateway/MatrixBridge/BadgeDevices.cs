using System.Collections.Concurrent;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>The running Matrix devices of the linked badges, by Matrix user id.</summary>
public sealed class BadgeDevices
{
    private readonly ConcurrentDictionary<string, MatrixDevice> _byUser = new(StringComparer.Ordinal);

    /// <summary>Adds a started device.</summary>
    public void Add(MatrixDevice device) => _byUser[device.Client.UserId] = device;

    /// <summary>All devices.</summary>
    public IReadOnlyCollection<MatrixDevice> All => _byUser.Values.ToList();

    /// <summary>The device of an account, or null when none runs here.</summary>
    public MatrixDevice? Find(string userId) => _byUser.GetValueOrDefault(userId);

    /// <summary>The device of an account; throws when the account has none here (a wiring error, retried later).</summary>
    public MatrixDevice Of(string userId) =>
        _byUser.TryGetValue(userId, out var device)
            ? device
            : throw new InvalidOperationException($"no Matrix device of {userId} is running in this gateway");
}
