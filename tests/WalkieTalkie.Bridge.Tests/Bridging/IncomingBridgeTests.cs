using System.Text;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Bridging;

public class IncomingBridgeTests
{
    private readonly BridgeRig _rig = new();

    private static readonly DeviceKey MumsPhone = new(Ev.Parent, "PHONE");

    private RoomMessage Voice(string eventId, string url = "mxc://example.org/phone1", string sender = Ev.Parent, string mimetype = "audio/ogg",
        string? device = "PHONE", long sentAt = 1_700_000_000_000) =>
        new(eventId, sender, "m.room.message", Ev.Json($$"""
            {"msgtype":"m.audio","body":"Voice message","info":{"mimetype":"{{mimetype}}","duration":1500},
             "file":{"url":"{{url}}","key":{"k":"K"},"iv":"IV","hashes":{"sha256":"H"},"v":"v2"},"org.matrix.msc3245.voice":{} }
            """), sentAt, device);

    public IncomingBridgeTests()
    {
        _rig.Media.Files["mxc://example.org/phone1"] = Encoding.ASCII.GetBytes("OggS from a phone");
        _rig.Media.Files["mxc://example.org/junk"] = Encoding.ASCII.GetBytes("ID3 an mp3 in disguise");
        _rig.PermitPhone(MumsPhone);
    }

    [Fact]
    public async Task A_phone_voice_message_is_played_on_the_channel_once_however_often_it_arrives()
    {
        Assert.IsType<IncomingDecision.Play>(await _rig.Bridge.OnRoomMessageAsync(Voice("$v1")));
        Assert.IsType<IncomingDecision.Ignore>(await _rig.Bridge.OnRoomMessageAsync(Voice("$v1")));
        _rig.Restart();
        Assert.IsType<IncomingDecision.Ignore>(await _rig.Bridge.OnRoomMessageAsync(Voice("$v1")));

        var queued = Assert.Single(_rig.Player.Queued);
        Assert.Equal((BridgeRig.Channel, Ev.Parent), (queued.Channel, queued.Talker));
        Assert.Equal("OggS from a phone", Encoding.ASCII.GetString(queued.Audio.AdpcmBlocks[0]));
        Assert.Equal([8000], _rig.Transcoder.DecodeRates);
    }

    [Fact]
    public async Task The_badges_announce_the_senders_name_in_the_room()
    {
        var named = Voice("$n1") with { SenderName = "Mum" };
        Assert.IsType<IncomingDecision.Play>(await _rig.Bridge.OnRoomMessageAsync(named));
        Assert.Equal("Mum", Assert.Single(_rig.Player.Queued).Talker);
    }

    [Fact]
    public async Task The_message_goes_to_the_floor_with_its_room_event_id()
    {
        // Other sites of the room know the message by it: it is played once at each (docs/bridge.md, "Phones across sites").
        Assert.IsType<IncomingDecision.Play>(await _rig.Bridge.OnRoomMessageAsync(Voice("$site1")));
        Assert.Equal(["$site1"], _rig.Player.EventIds);
    }

    [Fact]
    public async Task A_device_without_an_accepted_send_permit_is_not_played()
    {
        var stranger = await _rig.Bridge.OnRoomMessageAsync(Voice("$s1", sender: Ev.Stranger, device: "EVEPHONE"));
        Assert.Contains("no accepted send permit", Assert.IsType<IncomingDecision.Refuse>(stranger).Reason);
        var otherDevice = await _rig.Bridge.OnRoomMessageAsync(Voice("$s2", device: "LAPTOP"));
        Assert.IsType<IncomingDecision.Refuse>(otherDevice);
        var unknown = await _rig.Bridge.OnRoomMessageAsync(Voice("$s3", device: null));
        Assert.Contains("unknown", Assert.IsType<IncomingDecision.Refuse>(unknown).Reason);
        Assert.Empty(_rig.Player.Queued);
        Assert.True(_rig.Log.Has(BridgeLogLevel.Info, "$s1 from @eve:example.org not played"));
    }

    [Fact]
    public async Task The_permit_is_judged_when_the_message_was_sent()
    {
        var carers = new DeviceKey("@carer:example.org", "TABLET");
        _rig.PermitPhone(carers, expires: 1_700_000_000_000);
        Assert.IsType<IncomingDecision.Play>(await _rig.Bridge.OnRoomMessageAsync(Voice("$c1", sender: carers.UserId, device: "TABLET", sentAt: 1_699_999_999_999)));
        Assert.IsType<IncomingDecision.Refuse>(await _rig.Bridge.OnRoomMessageAsync(Voice("$c2", sender: carers.UserId, device: "TABLET", sentAt: 1_700_000_000_000)));
    }

    [Fact]
    public async Task Without_the_permit_rule_any_members_voice_message_is_played()
    {
        _rig.RequireSendPermit = false;
        _rig.Restart();
        Assert.IsType<IncomingDecision.Play>(await _rig.Bridge.OnRoomMessageAsync(Voice("$s1", sender: Ev.Stranger, device: null)));
    }

    [Fact]
    public async Task The_rooms_channel_event_sets_the_decode_rate()
    {
        _rig.SeedRoom(Ev.State(WalkieEventTypes.Channel, "", Ev.Parent, """{"name":"yard","sample_rate":16000}"""));
        await _rig.Bridge.OnRoomMessageAsync(Voice("$v1"));
        Assert.Equal([16000], _rig.Transcoder.DecodeRates);
    }

    [Fact]
    public async Task A_download_failure_is_thrown_for_a_retry_and_the_retry_plays_it_once()
    {
        _rig.Media.Up = false;
        await Assert.ThrowsAsync<HttpRequestException>(() => _rig.Bridge.OnRoomMessageAsync(Voice("$v1")));
        Assert.Empty(_rig.Player.Queued);
        _rig.Media.Up = true;
        Assert.IsType<IncomingDecision.Play>(await _rig.Bridge.OnRoomMessageAsync(Voice("$v1")));
        Assert.Single(_rig.Player.Queued);
    }

    [Fact]
    public async Task Audio_that_does_not_decode_is_refused_and_logged()
    {
        var decision = await _rig.Bridge.OnRoomMessageAsync(Voice("$v2", "mxc://example.org/junk"));
        Assert.Contains("OggS", Assert.IsType<IncomingDecision.Refuse>(decision).Reason);
        Assert.Empty(_rig.Player.Queued);
        Assert.True(_rig.Log.Has(BridgeLogLevel.Info, "$v2 from @mum:example.org not played"));
    }

    [Fact]
    public async Task Other_audio_formats_are_refused_with_a_log_line_and_never_downloaded()
    {
        _rig.Media.Up = false; // a download would throw
        var decision = await _rig.Bridge.OnRoomMessageAsync(Voice("$v3", mimetype: "audio/mp4"));
        Assert.IsType<IncomingDecision.Refuse>(decision);
        Assert.True(_rig.Log.Has(BridgeLogLevel.Info, "audio/mp4"));
    }

    [Fact]
    public async Task Our_own_badges_bursts_and_text_are_ignored()
    {
        Assert.IsType<IncomingDecision.Ignore>(await _rig.Bridge.OnRoomMessageAsync(Voice("$v4", sender: BridgeRig.Ben.Device.UserId)));
        Assert.IsType<IncomingDecision.Ignore>(await _rig.Bridge.OnRoomMessageAsync(
            new RoomMessage("$t", Ev.Parent, "m.room.message", Ev.Json("""{"msgtype":"m.text","body":"dinner!"}"""), 1)));
        Assert.Empty(_rig.Player.Queued);
    }

    [Fact]
    public async Task Badges_that_played_a_phone_message_send_read_receipts_for_it()
    {
        await _rig.Bridge.OnRoomMessageAsync(Voice("$v1"));
        var burstId = _rig.Player.Queued[0].BurstId;
        await _rig.Bridge.OnPlayedAsync("anna", burstId);
        await _rig.Bridge.OnPlayedAsync("ben", burstId);
        Assert.Equal([(Ev.Anna, BridgeRig.RoomId, "$v1"), (BridgeRig.Ben.Device.UserId, BridgeRig.RoomId, "$v1")], _rig.Receipts.Sent);
    }

    [Fact]
    public async Task Listeners_that_played_a_live_burst_before_its_message_was_sent_get_their_receipt_once_it_is()
    {
        _rig.Feed.Add(BridgeRig.Burst(7, 0));
        await _rig.Bridge.OnPlayedAsync("ben", 7); // live listening ends before the upload even starts
        await _rig.Bridge.OnPlayedAsync("ben", 7);
        Assert.Empty(_rig.Receipts.Sent);

        await _rig.RunAsync();
        var eventId = _rig.Outbox.EventOf(_rig.Outbox.Voice[0]);
        Assert.Equal([(BridgeRig.Ben.Device.UserId, BridgeRig.RoomId, eventId)], _rig.Receipts.Sent);

        await _rig.Bridge.OnPlayedAsync("anna", 7); // a sleeping badge catches up later
        Assert.Equal((Ev.Anna, BridgeRig.RoomId, eventId), _rig.Receipts.Sent[^1]);
    }

    [Fact]
    public async Task Pending_receipts_survive_a_restart()
    {
        _rig.Outbox.Up = false;
        _rig.Feed.Add(BridgeRig.Burst(7, 0));
        await _rig.Bridge.PumpOutgoingAsync();
        await _rig.Bridge.OnPlayedAsync("ben", 7);
        _rig.Restart();
        _rig.Outbox.Up = true;
        await _rig.DeliverAsync();
        Assert.Single(_rig.Receipts.Sent);
    }

    [Fact]
    public async Task A_burst_of_another_channel_is_not_ours_to_receipt()
    {
        _rig.Index.Save(new BurstLink(9, "family", null, "$other", []));
        await _rig.Bridge.OnPlayedAsync("anna", 9);
        Assert.Empty(_rig.Receipts.Sent);
    }

    [Fact]
    public async Task A_badge_without_a_matrix_device_sends_no_receipt()
    {
        await _rig.Bridge.OnRoomMessageAsync(Voice("$v1"));
        await _rig.Bridge.OnPlayedAsync("carla", _rig.Player.Queued[0].BurstId);
        Assert.Empty(_rig.Receipts.Sent);
    }
}
