namespace WalkieTalkie.Bridge.State;

/// <summary>What a device may do in a walkie room at one moment (design section 8).</summary>
/// <param name="MayReceive">Accepted and permitted to receive, neither expired.</param>
/// <param name="MaySend">May receive, and the permit allows sending.</param>
/// <param name="Priority">May send, and the permit allows preempting a talker.</param>
/// <param name="Until">When these rights end by expiry (the earlier of the accept's and the permit's); null for good.</param>
public sealed record DeviceRights(bool MayReceive, bool MaySend, bool Priority, DateTimeOffset? Until)
{
    /// <summary>No rights at all.</summary>
    public static DeviceRights None { get; } = new(false, false, false, null);
}
