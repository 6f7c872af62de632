using System.Security.Cryptography;
using WalkieTalkie.TestHomeserver.Interop;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>
/// The proof that the fixture behaves like a homeserver: two unmodified matrix-js-sdk 43 clients with Rust crypto,
/// both cross-signed, one in "exclude insecure devices" mode, exchange an encrypted message and an encrypted
/// attachment through it, and the receiver decrypts both with no warning shield.
/// </summary>
public sealed class JsSdkInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_cross_signed_js_sdk_clients_exchange_an_encrypted_message_and_attachment_without_warnings()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: timeout.Token);
        await using var alice = await JsPeer.StartAsync("alice", output.WriteLine, cancellationToken: timeout.Token);
        await using var bob = await JsPeer.StartAsync("bob", output.WriteLine, cancellationToken: timeout.Token);

        var baseUrl = hs.BaseUrl.ToString().TrimEnd('/');
        var aliceSession = await alice.SendAsync("register", new { baseUrl, username = "alice", password = "alice-pw" }, cancellationToken: timeout.Token);
        var bobSession = await bob.SendAsync("register", new { baseUrl, username = "bob", password = "bob-pw" }, cancellationToken: timeout.Token);
        var aliceId = aliceSession["userId"]!.GetValue<string>();
        var bobId = bobSession["userId"]!.GetValue<string>();

        await alice.SendAsync("start", new { isolation = "all" }, cancellationToken: timeout.Token);
        await bob.SendAsync("start", new { isolation = "onlySigned" }, cancellationToken: timeout.Token);
        var aliceCs = await alice.SendAsync("bootstrapCrossSigning", cancellationToken: timeout.Token);
        var bobCs = await bob.SendAsync("bootstrapCrossSigning", cancellationToken: timeout.Token);
        Assert.True(aliceCs["ready"]!.GetValue<bool>(), aliceCs.ToJsonString());
        Assert.True(bobCs["ready"]!.GetValue<bool>(), bobCs.ToJsonString());
        await bob.SendAsync("setAutoJoin", new { enabled = true }, cancellationToken: timeout.Token);

        var room = await alice.SendAsync("createRoom", new { name = "walkie", invite = new[] { bobId }, encrypted = true }, cancellationToken: timeout.Token);
        var roomId = room["roomId"]!.GetValue<string>();
        await alice.SendAsync("waitForMembers", new { roomId, userIds = new[] { aliceId, bobId }, timeoutMs = 30000 }, cancellationToken: timeout.Token);

        // Each side sees the other's device as signed by its owner (the cross-signing upload went through).
        var aliceDevice = aliceSession["deviceId"]!.GetValue<string>();
        var seenByBob = await bob.SendAsync("deviceVerificationStatus", new { userId = aliceId, deviceId = aliceDevice }, cancellationToken: timeout.Token);
        Assert.True(seenByBob["signedByOwner"]!.GetValue<bool>(), seenByBob.ToJsonString());

        var text = await alice.SendAsync("sendText", new { roomId, body = "Over to you, Bob." }, cancellationToken: timeout.Token);
        var received = await bob.SendAsync("waitForEvent", new { roomId, eventId = text["eventId"]!.GetValue<string>(), timeoutMs = 30000 }, cancellationToken: timeout.Token);
        output.WriteLine("text as bob sees it: " + received.ToJsonString());
        Assert.Null(received["decryptionFailure"]?.GetValue<string>());
        Assert.True(received["encrypted"]!.GetValue<bool>());
        Assert.Equal("m.room.encrypted", received["wireType"]!.GetValue<string>());
        Assert.Equal("m.room.message", received["type"]!.GetValue<string>());
        Assert.Equal("Over to you, Bob.", received["content"]!["body"]!.GetValue<string>());
        Assert.Equal(0, received["shield"]!["colour"]!.GetValue<int>()); // EventShieldColour.NONE

        var payload = RandomNumberGenerator.GetBytes(50_000);
        var sent = await alice.SendAsync("sendAttachment", new
        {
            roomId, dataBase64 = Convert.ToBase64String(payload), mimetype = "audio/ogg", filename = "burst.ogg", msgtype = "m.audio",
        }, cancellationToken: timeout.Token);
        var attachment = await bob.SendAsync("waitForEvent", new { roomId, eventId = sent["eventId"]!.GetValue<string>(), timeoutMs = 30000 }, cancellationToken: timeout.Token);
        output.WriteLine("attachment as bob sees it: " + attachment.ToJsonString());
        Assert.Null(attachment["decryptionFailure"]?.GetValue<string>());
        Assert.Equal("m.audio", attachment["content"]!["msgtype"]!.GetValue<string>());
        Assert.Equal(0, attachment["shield"]!["colour"]!.GetValue<int>());
        var downloaded = await bob.SendAsync("downloadAttachment", new { file = attachment["content"]!["file"] }, cancellationToken: timeout.Token);
        Assert.Equal(payload, Convert.FromBase64String(downloaded["dataBase64"]!.GetValue<string>()));

        // The file on the server is ciphertext, not the payload.
        Assert.Empty(hs.ServerErrors);
        var mxc = attachment["content"]!["file"]!["url"]!.GetValue<string>();
        using var http = new HttpClient { BaseAddress = hs.BaseUrl };
        var session = hs.CreateSession(bobId);
        using var request = new HttpRequestMessage(HttpMethod.Get, "_matrix/client/v1/media/download/" + mxc["mxc://".Length..]);
        request.Headers.Authorization = new("Bearer", session.AccessToken);
        using var response = await http.SendAsync(request, timeout.Token);
        var stored = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        Assert.Equal(payload.Length, stored.Length);
        Assert.NotEqual(payload, stored);
    }
}
