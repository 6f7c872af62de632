using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.State;

/// <summary>
/// The walkie state of one room, folded from its state events in the order the homeserver gives them (sync's
/// <c>state</c> then <c>timeline</c>): the channel, the power levels, and per device the current accept and
/// permit. A permit is judged against the power levels current when it is applied, which is "at the event"
/// when events are applied in order; from a bare state snapshot it is the snapshot's power levels.
/// </summary>
public sealed class RoomWalkieState
{
    private readonly Dictionary<DeviceKey, StateEntry<WalkieAccept>> _accepts = new();
    private readonly Dictionary<DeviceKey, StateEntry<WalkiePermit>> _permits = new();
    private readonly IReadOnlyCollection<string> _privilegedCreators;

    /// <summary>Starts from the room's power levels (or <see cref="RoomPowerLevels.WithoutEvent"/>).</summary>
    /// <param name="powerLevels">The power levels before the first applied event.</param>
    /// <param name="privilegedCreators">Creators with unlimited power (room version 12), kept across power level changes.</param>
    public RoomWalkieState(RoomPowerLevels powerLevels, IReadOnlyCollection<string>? privilegedCreators = null)
    {
        PowerLevels = powerLevels;
        _privilegedCreators = privilegedCreators ?? [];
    }

    /// <summary>The channel, when the room's channel event is valid; null when absent or refused.</summary>
    public WalkieChannel? Channel => ChannelEntry?.Value;

    /// <summary>The current channel event, valid or not.</summary>
    public StateEntry<WalkieChannel>? ChannelEntry { get; private set; }

    /// <summary>The power levels as of the last applied event.</summary>
    public RoomPowerLevels PowerLevels { get; private set; }

    /// <summary>Every device with an accept or a permit event in the room.</summary>
    public IReadOnlyCollection<DeviceKey> Devices => _accepts.Keys.Union(_permits.Keys).ToList();

    /// <summary>The current accept event of the device, or null.</summary>
    public StateEntry<WalkieAccept>? AcceptOf(DeviceKey device) => _accepts.GetValueOrDefault(device);

    /// <summary>The current permit event of the device, or null.</summary>
    public StateEntry<WalkiePermit>? PermitOf(DeviceKey device) => _permits.GetValueOrDefault(device);

    /// <summary>Applies one event. Never throws on hostile events; says what it did.</summary>
    public ApplyOutcome Apply(RoomStateEvent ev)
    {
        if (ev.StateKey is null)
        {
            return ApplyOutcome.Unrelated;
        }

        switch (ev.Type)
        {
            case WalkieEventTypes.PowerLevels when ev.StateKey.Length == 0:
                PowerLevels = RoomPowerLevels.FromContent(ev.Content, _privilegedCreators);
                return ApplyOutcome.Applied;
            case WalkieEventTypes.Channel when ev.StateKey.Length == 0:
            {
                var parsed = WalkieEventParser.ParseChannel(ev);
                ChannelEntry = StateEntry<WalkieChannel>.From(parsed, ev);
                return Outcome(parsed.Rejection);
            }
            case WalkieEventTypes.Accept:
            {
                var key = DeviceKey.ParseStateKey(ev.StateKey);
                if (!key.IsValid)
                    {
                        return new ApplyOutcome(ApplyKind.Unrelated, key.Rejection);
                    }

                    var parsed = WalkieEventParser.ParseAccept(ev);
                _accepts[key.Value] = StateEntry<WalkieAccept>.From(parsed, ev);
                return Outcome(parsed.Rejection);
            }
            case WalkieEventTypes.Permit:
            {
                var key = DeviceKey.ParseStateKey(ev.StateKey);
                if (!key.IsValid)
                    {
                        return new ApplyOutcome(ApplyKind.Unrelated, key.Rejection);
                    }

                    var parsed = WalkieEventParser.ParsePermit(ev, PowerLevels);
                _permits[key.Value] = StateEntry<WalkiePermit>.From(parsed, ev);
                return Outcome(parsed.Rejection);
            }
            default:
                return ApplyOutcome.Unrelated;
        }
    }

    /// <summary>
    /// The device's rights at <paramref name="now"/>: it may receive when its accept and its permit both say
    /// receive and neither has expired; it may send when it may receive and its permit says send.
    /// </summary>
    public DeviceRights RightsAt(DeviceKey device, DateTimeOffset now)
    {
        var accept = AcceptOf(device)?.Value;
        var permit = PermitOf(device)?.Value;
        if (accept is null || permit is null || !accept.IsInForceAt(now) || !permit.IsInForceAt(now))
        {
            return DeviceRights.None;
        }

        var until = Earliest(accept.ExpiresAt, permit.ExpiresAt);
        return new DeviceRights(true, permit.Send, permit.Send && permit.Priority, until);
    }

    /// <summary>The rights of every device the room names, at <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<DeviceKey, DeviceRights> AllRightsAt(DateTimeOffset now) =>
        Devices.ToDictionary(d => d, d => RightsAt(d, now));

    /// <summary>The next moment after <paramref name="now"/> when some device's rights end by expiry, or null.</summary>
    public DateTimeOffset? NextExpiryAfter(DateTimeOffset now) =>
        Devices.Select(d => RightsAt(d, now).Until).Where(u => u > now).Min();

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static ApplyOutcome Outcome(EventRejection? rejection) =>
        rejection is null ? ApplyOutcome.Applied : new ApplyOutcome(ApplyKind.Refused, rejection);
}
