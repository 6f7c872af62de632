using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Bridging;

/// <summary>A channel bridge on in-memory ports. <see cref="Restart"/> makes a new bridge over the same durable fakes.</summary>
internal sealed class BridgeRig
{
    public const string Channel = "yard";
    public const string RoomId = "!yard:example.org";
    public const string Gateway = "@gateway:example.org";
    public static readonly BadgeAccount Anna = new("anna", Ev.AnnaKey);
    public static readonly BadgeAccount Ben = new("ben", new DeviceKey("@walkie-ben:example.org", "WTBEN"));

    public readonly FakeFeed Feed = new();
    public readonly FakeSilence Silence = new();
    public readonly FakeTranscoder Transcoder = new();
    public readonly FakeMedia Media = new();
    public readonly FakeOutbox Outbox = new();
    public readonly FakePlayer Player = new();
    public readonly FakeReceipts Receipts = new();
    public readonly FakePermitTable Permits = new();
    public readonly MemoryThreadStore Threads = new();
    public readonly MemoryBurstIndex Index = new();
    public readonly ListLog Log = new();

    public BridgeRig()
    {
        Permits.Badges.AddRange([Anna, Ben]);
        Bridge = Create();
    }

    public ChannelBridge Bridge { get; private set; }

    /// <summary>The room's state as sync gives it again after a restart.</summary>
    private readonly List<RoomStateEvent> _roomState = [];

    public bool RequireSendPermit = true;

    public void Restart() => Bridge = Create();

    /// <summary>Puts a state event in the room (the bridge sees it now, and again from sync after a restart).</summary>
    public ApplyOutcome SeedRoom(RoomStateEvent ev)
    {
        _roomState.Add(ev);
        return Bridge.Room.Apply(ev);
    }

    /// <summary>Gives a Matrix device (a phone) an accepted send permit, granted by the parent.</summary>
    public void PermitPhone(DeviceKey phone, long? expires = null)
    {
        SeedRoom(Ev.Accept(phone, phone.UserId, Ev.AcceptContent(phone)));
        SeedRoom(Ev.Permit(phone, Ev.Parent, Ev.PermitContent(phone, expires: expires)));
    }

    private ChannelBridge Create()
    {
        var room = new RoomWalkieState(Ev.LinkedRoomPowerLevels());
        foreach (var ev in _roomState)
        {
            room.Apply(ev);
        }

        return new ChannelBridge(
            new ChannelLink(Channel, RoomId, Gateway, 8000, RequireSendPermit),
            new BridgePorts(Feed, Silence, Transcoder, Media, Outbox, Player, Receipts, Permits, Threads, Index, Log),
            room);
    }

    public static FinishedBurst Burst(uint id, long startMs, string badge = "anna") =>
        new(Channel, badge, id, Ev.At(startMs), 0, false, $"/rec/{id}.wav");

    /// <summary>The homeserver accepts what waits in the outbox; the adapter reports each send to the bridge.</summary>
    public async Task DeliverAsync()
    {
        foreach (var (transaction, eventId) in Outbox.Deliver())
        {
            await Bridge.OnEventSentAsync(transaction, eventId);
        }
    }

    /// <summary>What the host loop does: pump, let the homeserver deliver, repeat until nothing moves.</summary>
    public async Task<OutgoingStatus> RunAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var status = await Bridge.PumpOutgoingAsync();
            var before = Outbox.Sent.Count;
            await DeliverAsync();
            if (status.Kind != OutgoingStatusKind.WaitingForRoot && Outbox.Sent.Count == before)
            {
                return status;
            }

            if (status.Kind == OutgoingStatusKind.WaitingForRoot && Outbox.Sent.Count == before)
            {
                return status;
            }
        }
        throw new InvalidOperationException("the bridge did not settle");
    }
}
