using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Bridging;

public class PermitBridgeTests
{
    private readonly BridgeRig _rig = new();

    /// <summary>The homeserver sends what waits and sync brings the state events back.</summary>
    private async Task EchoAsync(long ts)
    {
        var delivered = _rig.Outbox.Deliver();
        foreach (var (transaction, eventId) in delivered)
        {
            var m = _rig.Outbox.Messages.Single(x => x.TransactionId == transaction);
            if (m.StateKey is null)
            {
                continue;
            }

            await _rig.Bridge.OnRoomStateEventAsync(new RoomStateEvent(m.EventType, m.StateKey, m.SendAs, Ev.Json(m.Content.ToJsonString()), ts, eventId));
        }
    }

    [Fact]
    public async Task A_grant_on_the_gateway_reaches_the_room_once()
    {
        _rig.Permits.Rows["anna"] = new GatewayPermit("anna", Ev.AnnaKey, BridgeRig.Channel,
            new GatewayConsent(true, null, Ev.At(1_000)), new GatewayGrant(true, true, false, null, Ev.At(1_000)));

        var plan = await _rig.Bridge.MirrorPermitsAsync();
        Assert.Equal(2, plan.ToSend.Count);
        await _rig.Bridge.MirrorPermitsAsync(); // before the echo: same transactions, the outbox keeps one of each
        Assert.Equal(2, _rig.Outbox.Messages.Count);
        Assert.All(_rig.Outbox.Messages, m => Assert.Equal(BridgeRig.RoomId, m.RoomId));

        await EchoAsync(2_000);
        Assert.True((await _rig.Bridge.MirrorPermitsAsync()).IsEmpty);
        Assert.True(_rig.Bridge.Room.RightsAt(Ev.AnnaKey, Ev.At(3_000)).MaySend);
    }

    [Fact]
    public async Task What_mirroring_cannot_do_is_logged_once_not_at_every_plan()
    {
        // The room's levels were never set for MSC4002: the badges' accepts need 50.
        _rig.SeedRoom(Ev.State(WalkieEventTypes.PowerLevels, "", Ev.Parent, """{"users":{"@mum:example.org":100,"@gateway:example.org":50}}"""));
        _rig.Permits.Rows["anna"] = new GatewayPermit("anna", Ev.AnnaKey, BridgeRig.Channel,
            new GatewayConsent(true, null, Ev.At(1_000)), new GatewayGrant(true, true, false, null, Ev.At(1_000)));

        for (var plan = 0; plan < 3; plan++)
        {
            await _rig.Bridge.MirrorPermitsAsync();
        }

        Assert.DoesNotContain(_rig.Outbox.Messages, m => m.EventType == WalkieEventTypes.Accept);
        Assert.Single(_rig.Log.Lines, l => l.Level == BridgeLogLevel.Warning && l.Message.Contains("accepts need 50"));

        // An admin sets the levels: the accept goes, and the note would be logged again should it come back.
        await _rig.Bridge.OnRoomStateEventAsync(Ev.State(WalkieEventTypes.PowerLevels, "", Ev.Parent,
            $$$"""{"users":{"@mum:example.org":100,"@gateway:example.org":50},"events":{"{{{WalkieEventTypes.Accept}}}":0}}""", ts: 2_000));
        await _rig.Bridge.MirrorPermitsAsync();
        Assert.Single(_rig.Outbox.Messages, m => m.EventType == WalkieEventTypes.Accept);
    }

    [Fact]
    public async Task A_permit_from_a_parent_in_the_room_is_applied_to_the_gateway()
    {
        await _rig.Bridge.OnRoomStateEventAsync(Ev.Permit(BridgeRig.Ben.Device, Ev.Parent, Ev.PermitContent(BridgeRig.Ben.Device, send: false), ts: 5_000));
        var plan = await _rig.Bridge.MirrorPermitsAsync();
        var change = Assert.IsType<GrantChanged>(Assert.Single(_rig.Permits.Applied));
        Assert.Equal(("ben", Ev.Parent), (change.BadgeId, change.Sender));
        Assert.Empty(plan.ToSend);
        Assert.True((await _rig.Bridge.MirrorPermitsAsync()).IsEmpty);
    }

    [Fact]
    public async Task A_hostile_permit_is_logged_never_applied_and_overwritten()
    {
        _rig.Permits.Rows["ben"] = new GatewayPermit("ben", BridgeRig.Ben.Device, BridgeRig.Channel, GatewayConsent.None,
            new GatewayGrant(true, false, false, null, Ev.At(1_000)));
        var outcome = await _rig.Bridge.OnRoomStateEventAsync(
            Ev.Permit(BridgeRig.Ben.Device, Ev.Stranger, Ev.PermitContent(BridgeRig.Ben.Device, send: true, priority: true), ts: 5_000));
        Assert.Equal(ApplyKind.Refused, outcome.Kind);
        Assert.True(_rig.Log.Has(BridgeLogLevel.Info, "SenderLacksPower"));

        var plan = await _rig.Bridge.MirrorPermitsAsync();
        Assert.Empty(_rig.Permits.Applied);
        var sent = Assert.Single(plan.ToSend);
        Assert.Equal((BridgeRig.Gateway, WalkieEventTypes.Permit), (sent.SendAs, sent.Type));
        Assert.False(sent.Content["send"]!.GetValue<bool>());
    }
}
