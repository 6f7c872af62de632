namespace WalkieTalkie.Gateway.Web.Devices;

/// <summary>
/// A browser that is a device of the registry: <paramref name="Id"/> is its badge id (floor, fan-out, recording, permits
/// and the bridge know it by that), <paramref name="Owner"/> the local user name or the Matrix user id, and for a Matrix
/// device its Matrix device id (the MSC4002 state key is <c>device/{Owner}/{MatrixDeviceId}</c>).
/// </summary>
public sealed record WebDevice(string Id, string Kind, string Owner, string? MatrixDeviceId);
