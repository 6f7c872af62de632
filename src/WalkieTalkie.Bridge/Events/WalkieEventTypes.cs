namespace WalkieTalkie.Bridge.Events;

/// <summary>The room event types MSC4002 defines (unstable prefix) and the Matrix types the bridge reads.</summary>
public static class WalkieEventTypes
{
    /// <summary>State, <c>state_key</c> "": marks the room as a walkie channel.</summary>
    public const string Channel = "org.matrix.msc4002.channel";

    /// <summary>State, per device: the device's own consent to receive.</summary>
    public const string Accept = "org.matrix.msc4002.accept";

    /// <summary>State, per device: what a user with the power to grant allows the device.</summary>
    public const string Permit = "org.matrix.msc4002.permit";

    /// <summary>The key added to a burst's <c>m.audio</c> content.</summary>
    public const string BurstKey = "org.matrix.msc4002.burst";

    /// <summary>The room's power levels (state, <c>state_key</c> "").</summary>
    public const string PowerLevels = "m.room.power_levels";

    /// <summary>Room messages, voice messages among them.</summary>
    public const string RoomMessage = "m.room.message";
}
