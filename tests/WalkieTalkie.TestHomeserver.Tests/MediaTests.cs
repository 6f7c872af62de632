using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class MediaTests
{
    private static async Task<string> UploadAsync(MatrixHttpClient client, byte[] content, string type = "audio/ogg", string? fileName = null,
        string version = "v3")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"_matrix/media/{version}/upload" + (fileName is null ? "" : "?filename=" + fileName));
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        var response = await client.SendRawAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json!["content_uri"]!.GetValue<string>();
    }

    [Fact]
    public async Task Uploaded_media_downloads_byte_for_byte_from_the_authenticated_endpoint_only()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (_, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var payload = RandomNumberGenerator.GetBytes(200_000);
        var mxc = await UploadAsync(alice, payload, fileName: "burst.ogg");
        Assert.StartsWith("mxc://test.local/", mxc);
        var serverAndId = mxc["mxc://".Length..];

        var download = await bob.GetAsync("_matrix/client/v1/media/download/" + serverAndId, ct);
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal(payload, download.Body);
        Assert.Equal("audio/ogg", download.ContentHeaders.ContentType?.MediaType);
        Assert.Equal(payload, (await bob.GetAsync($"_matrix/client/v1/media/download/{serverAndId}/other-name.ogg", ct)).Body);

        using var anonymous = new MatrixHttpClient(hs.BaseUrl);
        (await anonymous.GetAsync("_matrix/client/v1/media/download/" + serverAndId, ct)).AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN");
        // Synapse's default (enable_authenticated_media): the legacy endpoint does not serve new media.
        (await anonymous.GetAsync("_matrix/media/v3/download/" + serverAndId, ct)).AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND");
        (await bob.GetAsync("_matrix/client/v1/media/download/test.local/nope", ct)).AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND");
    }

    [Fact]
    public async Task The_legacy_endpoint_serves_media_when_unauthenticated_media_is_switched_on()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(new TestHomeserverOptions { ServeUnauthenticatedMedia = true }, ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var payload = RandomNumberGenerator.GetBytes(1000);
        var mxc = await UploadAsync(alice, payload);
        using var anonymous = new MatrixHttpClient(hs.BaseUrl);
        var download = await anonymous.GetAsync("_matrix/media/v3/download/" + mxc["mxc://".Length..], ct);
        Assert.Equal(payload, download.Body);

        // The r0 names of the same endpoints, as older clients call them.
        var old = await UploadAsync(alice, payload, version: "r0");
        Assert.Equal(payload, (await anonymous.GetAsync("_matrix/media/r0/download/" + old["mxc://".Length..], ct)).Body);
        Assert.Equal(payload, (await alice.GetAsync("_matrix/client/v1/media/download/" + old["mxc://".Length..], ct)).Body);
    }

    [Fact]
    public async Task Asynchronous_upload_fills_a_created_id_once_and_uploads_over_the_limit_are_refused()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(new TestHomeserverOptions { MaxUploadSize = 1024 }, ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (_, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var created = await alice.OkAsync(HttpMethod.Post, "_matrix/media/v1/create");
        var serverAndId = created["content_uri"]!.GetValue<string>()["mxc://".Length..];

        // Not there yet: a download waits up to timeout_ms, then says so.
        (await bob.GetAsync($"_matrix/client/v1/media/download/{serverAndId}?timeout_ms=100", ct))
            .AssertError(HttpStatusCode.GatewayTimeout, "M_NOT_YET_UPLOADED");

        HttpRequestMessage Put(byte[] body) => new(HttpMethod.Put, "_matrix/media/v3/upload/" + serverAndId)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        (await bob.SendRawAsync(Put([1, 2, 3]))).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        Assert.Equal(HttpStatusCode.OK, (await alice.SendRawAsync(Put([1, 2, 3]))).Status);
        (await alice.SendRawAsync(Put([4, 5, 6]))).AssertError(HttpStatusCode.Conflict, "M_CANNOT_OVERWRITE_MEDIA");
        Assert.Equal([1, 2, 3], (await bob.GetAsync("_matrix/client/v1/media/download/" + serverAndId, ct)).Body);

        using var tooBig = new HttpRequestMessage(HttpMethod.Post, "_matrix/media/v3/upload") { Content = new ByteArrayContent(new byte[2048]) };
        (await alice.SendRawAsync(tooBig)).AssertError(HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE");
        var config = await alice.OkAsync(HttpMethod.Get, "_matrix/client/v1/media/config");
        Assert.Equal(1024, config["m.upload.size"]!.GetValue<long>());
    }
}
