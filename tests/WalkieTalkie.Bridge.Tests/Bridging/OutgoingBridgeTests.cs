using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Bridging;

public class OutgoingBridgeTests
{
    private readonly BridgeRig _rig = new();

    private static uint BurstIdOf(OutboxMessage m) => m.Content["org.matrix.msc4002.burst"]!["burst_id"]!.GetValue<uint>();
    private static JsonNode? RelationOf(OutboxMessage m) => m.Content["m.relates_to"];

    [Fact]
    public async Task Bursts_become_voice_messages_in_order_threaded_per_session()
    {
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 10_000, "ben"));
        _rig.Feed.Add(BridgeRig.Burst(3, 20_000));
        _rig.Feed.Add(BridgeRig.Burst(4, 20_000 + 2_000 + 300_000)); // after a gap of session_gap_ms: a new session

        var status = await _rig.RunAsync();

        Assert.Equal(OutgoingStatusKind.Idle, status.Kind);
        var voice = _rig.Outbox.Voice;
        Assert.Equal([1u, 2u, 3u, 4u], voice.Select(BurstIdOf));
        Assert.Equal([Ev.Anna, BridgeRig.Ben.Device.UserId, Ev.Anna, Ev.Anna], voice.Select(m => m.SendAs));
        Assert.All(voice, m => Assert.Equal(BridgeRig.RoomId, m.RoomId));
        Assert.Null(RelationOf(voice[0]));
        var root = _rig.Outbox.EventOf(voice[0]);
        Assert.Equal(root, RelationOf(voice[1])!["event_id"]!.GetValue<string>());
        Assert.Equal(root, RelationOf(voice[2])!["event_id"]!.GetValue<string>());
        // Burst 3 was built while burst 2 still sat in the outbox: its reply fallback names the latest event known then.
        Assert.Equal(root, RelationOf(voice[2])!["m.in_reply_to"]!["event_id"]!.GetValue<string>());
        Assert.Null(RelationOf(voice[3]));
        Assert.Equal(0, _rig.Feed.Waiting);
    }

    [Fact]
    public async Task The_reply_fallback_names_the_latest_burst_already_sent()
    {
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        await _rig.RunAsync();
        _rig.Feed.Add(BridgeRig.Burst(2, 5_000));
        await _rig.RunAsync();
        _rig.Feed.Add(BridgeRig.Burst(3, 10_000));
        await _rig.RunAsync();
        var voice = _rig.Outbox.Voice;
        Assert.Equal(_rig.Outbox.EventOf(voice[0]), RelationOf(voice[2])!["event_id"]!.GetValue<string>());
        Assert.Equal(_rig.Outbox.EventOf(voice[1]), RelationOf(voice[2])!["m.in_reply_to"]!["event_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_burst_of_a_session_waits_for_its_root_to_be_sent()
    {
        _rig.Outbox.Up = false; // the homeserver takes the upload but not yet the event
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 5_000));

        var status = await _rig.Bridge.PumpOutgoingAsync();
        Assert.Equal(new OutgoingStatus(OutgoingStatusKind.WaitingForRoot, 1), status);
        Assert.Single(_rig.Outbox.Voice);
        Assert.Equal(1, _rig.Feed.Waiting);

        _rig.Outbox.Up = true;
        Assert.Equal(OutgoingStatusKind.Idle, (await _rig.RunAsync()).Kind);
        Assert.Equal(_rig.Outbox.EventOf(_rig.Outbox.Voice[0]), RelationOf(_rig.Outbox.Voice[1])!["event_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_homeserver_away_for_a_while_delays_bursts_and_loses_none()
    {
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        await _rig.RunAsync();
        _rig.Media.Up = false;
        _rig.Outbox.Up = false;
        for (uint id = 2; id <= 6; id++)
        {
            _rig.Feed.Add(BridgeRig.Burst(id, id * 5_000));
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var blocked = await _rig.RunAsync();
            Assert.Equal(OutgoingStatusKind.Blocked, blocked.Kind);
            Assert.Contains("homeserver away", blocked.Reason);
        }
        Assert.Equal(5, _rig.Feed.Waiting);
        Assert.True(_rig.Log.Has(BridgeLogLevel.Warning, "sending bursts paused"));

        _rig.Media.Up = true;
        _rig.Outbox.Up = true;
        Assert.Equal(OutgoingStatusKind.Idle, (await _rig.RunAsync()).Kind);
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], _rig.Outbox.Voice.Select(BurstIdOf));
        Assert.Equal(6, _rig.Outbox.Sent.Count);
    }

    [Fact]
    public async Task A_power_cut_before_the_acknowledgement_sends_the_burst_once()
    {
        _rig.Outbox.Up = false;
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 3_000));
        _rig.Feed.FailNextAcknowledgements = 1;
        Assert.Equal(OutgoingStatusKind.Blocked, (await _rig.Bridge.PumpOutgoingAsync()).Kind);

        _rig.Restart();
        _rig.Outbox.Up = true;
        await _rig.RunAsync();

        Assert.Equal([1u, 2u], _rig.Outbox.Voice.Select(BurstIdOf));
        Assert.Equal(2, _rig.Outbox.Enqueues);
        Assert.Equal(2, _rig.Transcoder.Encodes);
        Assert.Equal(_rig.Outbox.EventOf(_rig.Outbox.Voice[0]), RelationOf(_rig.Outbox.Voice[1])!["event_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_power_cut_after_enqueueing_but_before_recording_sends_the_burst_once()
    {
        _rig.Outbox.Up = false;
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 3_000));
        _rig.Index.FailNextSaves = 1;
        Assert.Equal(OutgoingStatusKind.Blocked, (await _rig.Bridge.PumpOutgoingAsync()).Kind);
        Assert.Single(_rig.Outbox.Voice);

        _rig.Restart();
        var status = await _rig.Bridge.PumpOutgoingAsync(); // burst 1 again: enqueued again (ignored by the outbox), then 2 waits
        Assert.Equal(OutgoingStatusKind.WaitingForRoot, status.Kind);
        _rig.Outbox.Up = true;
        await _rig.RunAsync();

        Assert.Equal([1u, 2u], _rig.Outbox.Voice.Select(BurstIdOf));
        Assert.Equal(2, _rig.Outbox.Sent.Count);
    }

    [Fact]
    public async Task An_event_sent_while_its_burst_was_half_recorded_still_gets_its_id_and_receipts()
    {
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        await _rig.Bridge.OnPlayedAsync("ben", 1);
        _rig.Index.FailNextSaves = 1; // power cut after enqueueing, before linking
        Assert.Equal(OutgoingStatusKind.Blocked, (await _rig.Bridge.PumpOutgoingAsync()).Kind);

        _rig.Restart();
        await _rig.DeliverAsync(); // the outbox sends it and reports it, but nothing links the transaction yet
        Assert.Empty(_rig.Receipts.Sent);
        _rig.Feed.Add(BridgeRig.Burst(2, 3_000));
        await _rig.RunAsync();

        var first = _rig.Outbox.EventOf(_rig.Outbox.Voice[0]);
        Assert.Equal([(BridgeRig.Ben.Device.UserId, BridgeRig.RoomId, first)], _rig.Receipts.Sent);
        Assert.Equal(first, RelationOf(_rig.Outbox.Voice[1])!["event_id"]!.GetValue<string>());
        Assert.Equal(2, _rig.Outbox.Voice.Count);
    }

    [Fact]
    public async Task After_a_restart_a_root_sent_while_nobody_listened_is_found_in_the_outbox()
    {
        _rig.Outbox.Up = false;
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 3_000));
        await _rig.Bridge.PumpOutgoingAsync();
        _rig.Outbox.Up = true;
        _rig.Outbox.Deliver(); // sent, but the gateway went down before the adapter reported it

        _rig.Restart();
        Assert.Equal(OutgoingStatusKind.Idle, (await _rig.Bridge.PumpOutgoingAsync()).Kind);
        Assert.Equal(_rig.Outbox.EventOf(_rig.Outbox.Voice[0]), RelationOf(_rig.Outbox.Voice[1])!["event_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_burst_delivered_twice_by_the_feed_is_sent_once()
    {
        var burst = BridgeRig.Burst(1, 0);
        _rig.Feed.Add(burst);
        _rig.Feed.Add(burst);
        await _rig.RunAsync();
        Assert.Single(_rig.Outbox.Voice);
        Assert.Equal(1, _rig.Transcoder.Encodes);
        Assert.Equal(0, _rig.Feed.Waiting);
    }

    [Fact]
    public async Task Silence_only_bursts_are_skipped_and_start_no_session()
    {
        _rig.Silence.Silent.Add(1);
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 1_000));
        await _rig.RunAsync();
        var only = Assert.Single(_rig.Outbox.Voice);
        Assert.Equal(2u, BurstIdOf(only));
        Assert.Null(RelationOf(only));
        Assert.Equal(0, _rig.Feed.Waiting);
    }

    [Fact]
    public async Task An_unusable_recording_is_skipped_with_a_warning_and_the_rest_goes_on()
    {
        _rig.Transcoder.Corrupt.Add(1);
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 1_000));
        await _rig.RunAsync();
        Assert.Equal([2u], _rig.Outbox.Voice.Select(BurstIdOf));
        Assert.True(_rig.Log.Has(BridgeLogLevel.Warning, "truncated"));
    }

    [Fact]
    public async Task A_badge_without_a_matrix_device_is_not_sent_and_says_why()
    {
        _rig.Feed.Add(BridgeRig.Burst(1, 0, "carla"));
        await _rig.RunAsync();
        Assert.Empty(_rig.Outbox.Voice);
        Assert.True(_rig.Log.Has(BridgeLogLevel.Warning, "no Matrix device"));
        Assert.Equal(0, _rig.Feed.Waiting);
    }

    [Fact]
    public async Task A_root_refused_for_good_ends_the_session()
    {
        _rig.Outbox.Up = false;
        _rig.Feed.Add(BridgeRig.Burst(1, 0));
        _rig.Feed.Add(BridgeRig.Burst(2, 3_000));
        await _rig.Bridge.PumpOutgoingAsync();
        await _rig.Bridge.OnEventFailedAsync(_rig.Outbox.Voice[0].TransactionId, "M_TOO_LARGE");
        _rig.Outbox.Up = true;
        await _rig.RunAsync();
        Assert.Null(RelationOf(_rig.Outbox.Voice[1]));
        Assert.True(_rig.Log.Has(BridgeLogLevel.Warning, "M_TOO_LARGE"));
    }
}
