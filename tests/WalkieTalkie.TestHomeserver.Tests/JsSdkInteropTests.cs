using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Interop;

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
        var ct = timeout.Token;
        await using var pair = await PeerPair.StartAsync(output, ct);
        var (hs, alice, bob, roomId) = (pair.Homeserver, pair.Alice, pair.Bob, pair.RoomId);

        // Each side sees the other's device as signed by its owner (the cross-signing upload went through).
        var trust = await bob.DeviceTrustAsync(pair.AliceSession.UserId, pair.AliceSession.DeviceId, ct);
        Assert.True(trust.SignedByOwner, trust.ToString());

        var text = await alice.SendTextAsync(roomId, "Over to you, Bob.", ct);
        var received = await bob.WaitForEventAsync(roomId, eventId: text, cancellationToken: ct);
        output.WriteLine("text as bob sees it: " + received);
        Assert.Null(received.DecryptionFailure);
        Assert.True(received.Encrypted);
        Assert.Equal("m.room.encrypted", received.WireType);
        Assert.Equal("m.room.message", received.Type);
        Assert.Equal("Over to you, Bob.", received.Body);
        Assert.Equal(pair.AliceSession.DeviceId, received.SenderDeviceId);
        Assert.True(received.Shield!.IsNone, received.Shield.ToString());

        var payload = RandomNumberGenerator.GetBytes(50_000);
        var sent = await alice.SendAttachmentAsync(roomId, payload, "audio/ogg", "burst.ogg", "m.audio", ct);
        var attachment = await bob.WaitForEventAsync(roomId, eventId: sent.EventId, cancellationToken: ct);
        Assert.Null(attachment.DecryptionFailure);
        Assert.Equal("m.audio", attachment.MsgType);
        Assert.True(attachment.Shield!.IsNone);
        var downloaded = await bob.DownloadAttachmentAsync(sent.EventId, cancellationToken: ct);
        Assert.Equal(payload, downloaded.Data);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), downloaded.Sha256);

        // A file object whose hash does not match the stored ciphertext is refused before decryption.
        var tampered = (JsonObject)sent.Content["file"]!.DeepClone();
        tampered["hashes"]!["sha256"] = Convert.ToBase64String(SHA256.HashData([1, 2, 3])).TrimEnd('=');
        var refused = await Assert.ThrowsAsync<JsPeerException>(() => bob.DownloadFileAsync(tampered, cancellationToken: ct));
        Assert.Contains("SHA-256 mismatch", refused.Message);

        // The file on the server is ciphertext, not the payload.
        Assert.Empty(hs.ServerErrors);
        var mxc = sent.Mxc;
        using var http = new HttpClient { BaseAddress = hs.BaseUrl };
        var session = hs.CreateSession(pair.BobSession.UserId);
        using var request = new HttpRequestMessage(HttpMethod.Get, "_matrix/client/v1/media/download/" + mxc["mxc://".Length..]);
        request.Headers.Authorization = new("Bearer", session.AccessToken);
        using var response = await http.SendAsync(request, ct);
        var stored = await response.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(payload.Length, stored.Length);
        Assert.NotEqual(payload, stored);
    }
}
