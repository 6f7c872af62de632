using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>A device of the channel and its Matrix device.</summary>
/// <param name="BadgeId">The device's id on the gateway (a badge's id on MQTT, or a web device's).</param>
/// <param name="Device">Its Matrix user and device.</param>
/// <param name="ConsentInRoom">
/// True for a person's own Matrix device (the web walkie in Element, or the standalone page signed in with Matrix): the
/// gateway holds no session of that account, so the device's consent is only what its user sent to the room. The
/// mirror then applies the room's accept (or its absence) and never sends one; nor does it count the user's other
/// devices as retired badge devices.
/// </param>
public sealed record BadgeAccount(string BadgeId, DeviceKey Device, bool ConsentInRoom = false);
