using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Interop;
using WalkieTalkie.Matrix.Device;

namespace WalkieTalkie.Matrix.Interop.Tests;

/// <summary>
/// Issue 5's proof on the js-sdk side: our <see cref="MatrixDevice"/> (a badge) and an unmodified matrix-js-sdk 43
/// client with Rust crypto in only-signed-devices isolation mode (Element's "exclude insecure devices"), in one
/// encrypted room on the test homeserver. The js-sdk client decrypts our events with no warning shield, we decrypt
/// its events, and an encrypted attachment uploaded by either side is downloaded and decrypted by the other.
/// </summary>
public sealed class JsSdkDeviceInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Our_device_and_a_js_sdk_client_in_only_signed_mode_exchange_encrypted_events_and_attachments()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var world = await BadgeAndPhone.StartAsync(output, ct);
        var (badge, phone, room) = (world.Badge, world.Phone, world.RoomId);

        // The phone sees the badge's device as signed by its owner: what only-signed mode requires.
        var trust = await phone.WaitForDeviceAsync(world.BadgeUserId, BadgeAndPhone.BadgeDeviceId, cancellationToken: ct);
        Assert.True(trust.SignedByOwner, trust.ToString());

        // Ours → js-sdk.
        var sent = await badge.SendAsync(room, "m.room.message", new JsonObject { ["msgtype"] = "m.text", ["body"] = "Anna here, over." }, ct);
        var ourEventId = await badge.WaitUntilSentAsync(sent, ct);
        var atPhone = await phone.WaitForEventAsync(room, eventId: ourEventId, cancellationToken: ct);
        output.WriteLine("our event at the phone: " + atPhone);
        Assert.Null(atPhone.DecryptionFailure);
        Assert.True(atPhone.Encrypted);
        Assert.Equal("m.room.encrypted", atPhone.WireType);
        Assert.Equal("m.room.message", atPhone.Type);
        Assert.Equal("Anna here, over.", atPhone.Body);
        Assert.Equal(BadgeAndPhone.BadgeDeviceId, atPhone.SenderDeviceId);
        Assert.True(atPhone.Shield!.IsNone, atPhone.Shield.ToString());
        var wire = world.Homeserver.RoomEvents(room).Single(e => e["event_id"]!.GetValue<string>() == ourEventId);
        Assert.Equal("m.room.encrypted", wire["type"]!.GetValue<string>());
        Assert.DoesNotContain("Anna here", wire.ToJsonString());

        // js-sdk → ours.
        var phoneEventId = await phone.SendTextAsync(room, "Dad here, come home for dinner.", ct);
        var atBadge = await badge.WaitForRoomEventAsync(e => e.EventId == phoneEventId, ct);
        Assert.True(atBadge.Encrypted);
        Assert.Equal("m.room.message", atBadge.Type);
        Assert.Equal("Dad here, come home for dinner.", atBadge.Content["body"]!.GetValue<string>());
        Assert.Equal(world.PhoneSession.UserId, atBadge.Sender);
        Assert.Equal(world.PhoneSession.DeviceId, atBadge.SenderDeviceId);

        // An encrypted attachment from us, downloaded and decrypted by the phone.
        var recording = RandomNumberGenerator.GetBytes(48_000);
        var voice = await badge.SendAttachmentAsync(room, recording, new JsonObject
        {
            ["msgtype"] = "m.audio", ["body"] = "Voice message",
            ["info"] = new JsonObject { ["mimetype"] = "audio/ogg", ["size"] = recording.Length, ["duration"] = 3000 },
            ["org.matrix.msc3245.voice"] = new JsonObject(),
        }, ct);
        var voiceEventId = await badge.WaitUntilSentAsync(voice, ct);
        var voiceAtPhone = await phone.WaitForEventAsync(room, eventId: voiceEventId, cancellationToken: ct);
        Assert.Null(voiceAtPhone.DecryptionFailure);
        Assert.True(voiceAtPhone.IsVoiceMessage);
        Assert.True(voiceAtPhone.Shield!.IsNone, voiceAtPhone.Shield.ToString());
        Assert.False(voiceAtPhone.Content.ContainsKey("url"));
        var downloaded = await phone.DownloadAttachmentAsync(voiceEventId, cancellationToken: ct);
        Assert.Equal(recording, downloaded.Data);

        // An encrypted attachment from the phone, downloaded and decrypted by us.
        var photo = RandomNumberGenerator.GetBytes(70_000);
        var fromPhone = await phone.SendAttachmentAsync(room, photo, "image/jpeg", "garden.jpg", "m.image", ct);
        var photoAtBadge = await badge.WaitForRoomEventAsync(e => e.EventId == fromPhone.EventId, ct);
        Assert.True(photoAtBadge.Encrypted);
        Assert.Equal(photo, await badge.DownloadAttachmentAsync((JsonObject)photoAtBadge.Content["file"]!, ct));

        Assert.Empty(world.Homeserver.ServerErrors);
    }

    [Fact]
    public async Task After_a_restart_the_device_keeps_its_identity_and_both_sides_still_decrypt()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var world = await BadgeAndPhone.StartAsync(output, ct);
        var (phone, room) = (world.Phone, world.RoomId);

        var first = await world.Badge.WaitUntilSentAsync(await world.Badge.SendAsync(room, "m.room.message",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = "before the restart" }, ct), ct);
        Assert.Null((await phone.WaitForEventAsync(room, eventId: first, cancellationToken: ct)).DecryptionFailure);
        var identity = (world.Badge.Ed25519Key, world.Badge.Curve25519Key);
        var logins = world.Homeserver.Requests.Count(r => r.Path.EndsWith("/login", StringComparison.Ordinal));
        var crossSigningUploads = world.Homeserver.Requests.Count(r => r.Path.EndsWith("/keys/device_signing/upload", StringComparison.Ordinal));

        await world.RestartBadgeAsync(ct);
        var badge = world.Badge;

        Assert.Equal(identity, (badge.Ed25519Key, badge.Curve25519Key));
        Assert.Equal(logins, world.Homeserver.Requests.Count(r => r.Path.EndsWith("/login", StringComparison.Ordinal)));
        Assert.Equal(crossSigningUploads, world.Homeserver.Requests.Count(r => r.Path.EndsWith("/keys/device_signing/upload", StringComparison.Ordinal)));

        var phoneEventId = await phone.SendTextAsync(room, "after the restart, from the phone", ct);
        var atBadge = await badge.WaitForRoomEventAsync(e => e.EventId == phoneEventId, ct);
        Assert.Equal("after the restart, from the phone", atBadge.Content["body"]!.GetValue<string>());

        var second = await badge.WaitUntilSentAsync(await badge.SendAsync(room, "m.room.message",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = "after the restart" }, ct), ct);
        var atPhone = await phone.WaitForEventAsync(room, eventId: second, cancellationToken: ct);
        Assert.Null(atPhone.DecryptionFailure);
        Assert.Equal("after the restart", atPhone.Body);
        Assert.True(atPhone.Shield!.IsNone, atPhone.Shield.ToString());
    }

    [Fact]
    public async Task Without_cross_signing_the_same_badge_is_refused_by_the_js_sdk_client_in_only_signed_mode()
    {
        // The control for the tests above: their "no shield" comes from the badge's cross-signing, not from a lax peer.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var world = await BadgeAndPhone.StartAsync(output, ct, crossSignBadge: false);
        var (badge, phone, room) = (world.Badge, world.Phone, world.RoomId);

        var trust = await phone.WaitForDeviceAsync(world.BadgeUserId, BadgeAndPhone.BadgeDeviceId, cancellationToken: ct);
        Assert.False(trust.SignedByOwner, trust.ToString());

        var sent = await badge.WaitUntilSentAsync(await badge.SendAsync(room, "m.room.message",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = "unsigned badge" }, ct), ct);
        var atPhone = await phone.WaitForEventAsync(room, eventId: sent, timeout: TimeSpan.FromSeconds(10), cancellationToken: ct);
        output.WriteLine("the unsigned badge's event at the phone: " + atPhone);
        Assert.Equal("UNSIGNED_SENDER_DEVICE", atPhone.DecryptionFailure);
        Assert.NotEqual("unsigned badge", atPhone.Body);
    }
}
