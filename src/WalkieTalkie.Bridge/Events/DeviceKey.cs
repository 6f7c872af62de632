namespace WalkieTalkie.Bridge.Events;

/// <summary>
/// A Matrix device (user id and device id), and its per-device state key <c>device/{user_id}/{device_id}</c>
/// (docs/protocol.md, MSC4002).
/// </summary>
/// <param name="UserId">The device's owner, <c>@localpart:server</c>.</param>
/// <param name="DeviceId">The device id.</param>
public sealed record DeviceKey(string UserId, string DeviceId)
{
    /// <summary>The prefix of every per-device state key.</summary>
    public const string StateKeyPrefix = "device/";

    /// <summary>The state key naming this device.</summary>
    public string StateKey => StateKeyPrefix + UserId + "/" + DeviceId;

    /// <summary>
    /// Splits a per-device state key. A localpart may contain '/' but never ':', and a server name never '/',
    /// so the user id runs from the '@' to the first '/' after its first ':'; the device id is the rest.
    /// </summary>
    public static Parsed<DeviceKey> ParseStateKey(string? stateKey)
    {
        if (stateKey is null)
        {
            return Parsed<DeviceKey>.Fail(RejectionCode.NotStateEvent, "a per-device event needs a state_key");
        }

        if (!stateKey.StartsWith(StateKeyPrefix, StringComparison.Ordinal))
        {
            return Malformed(stateKey, "does not start with \"device/\"");
        }

        var colon = stateKey.IndexOf(':', StateKeyPrefix.Length);
        var slash = colon < 0 ? -1 : stateKey.IndexOf('/', colon);
        if (slash < 0)
        {
            return Malformed(stateKey, "has no \"/{device_id}\" after the user id");
        }

        var userId = stateKey[StateKeyPrefix.Length..slash];
        var deviceId = stateKey[(slash + 1)..];
        if (!MatrixIds.IsUserId(userId))
        {
            return Malformed(stateKey, "does not hold a valid user id");
        }

        if (!MatrixIds.IsDeviceId(deviceId))
        {
            return Malformed(stateKey, "does not hold a valid device id");
        }

        return Parsed<DeviceKey>.Ok(new DeviceKey(userId, deviceId));
    }

    /// <summary>Builds a key, checking both ids (for keys the gateway itself writes).</summary>
    /// <exception cref="ArgumentException">An id is not valid.</exception>
    public static DeviceKey Create(string userId, string deviceId)
    {
        if (!MatrixIds.IsUserId(userId))
        {
            throw new ArgumentException($"not a Matrix user id: {EventRejection.Quote(userId)}", nameof(userId));
        }

        if (!MatrixIds.IsDeviceId(deviceId))
        {
            throw new ArgumentException($"not a device id: {EventRejection.Quote(deviceId)}", nameof(deviceId));
        }

        return new DeviceKey(userId, deviceId);
    }

    /// <inheritdoc />
    public override string ToString() => StateKey;

    private static Parsed<DeviceKey> Malformed(string stateKey, string what) =>
        Parsed<DeviceKey>.Fail(RejectionCode.StateKeyMalformed, $"state key {EventRejection.Quote(stateKey)} {what}");
}
