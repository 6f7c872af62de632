using System.Security.Cryptography;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.TestHomeserver;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>Media upload and download on both API generations: authenticated (v1.11+) and the legacy endpoints
/// chosen from <c>/versions</c>.</summary>
public sealed class MediaTests
{
    [Fact]
    public async Task On_a_current_server_media_is_downloaded_from_the_authenticated_endpoint()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        var (_, ben) = NewClient(hs, "ben");
        using var _a = anna;
        using var _b = ben;
        var file = RandomNumberGenerator.GetBytes(200_000);

        var mxc = await anna.UploadMediaAsync(file, "audio/ogg", "burst.ogg", ct);
        var download = await ben.DownloadMediaAsync(mxc, cancellationToken: ct);

        Assert.StartsWith("mxc://test.local/", mxc);
        Assert.Equal(file, download.Content);
        Assert.StartsWith("audio/ogg", download.ContentType);
        await AssertRequestCountAsync(hs, 1, "GET", "/_matrix/client/v1/media/download/");
        Assert.Equal(0, CountRequests(hs, "GET", "/_matrix/media/v3/download/"));
        Assert.Equal(50L * 1024 * 1024, (await ben.GetMediaConfigAsync(ct)).MaxUploadSize);
    }

    [Fact]
    public async Task On_a_server_before_v1_11_the_legacy_endpoints_are_used()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserverOptions { ServeUnauthenticatedMedia = true }, ct);
        var old = new LossyHandler { ClaimVersions = ["r0.6.1", "v1.1", "v1.10"] };
        var (_, anna) = NewClient(hs, "walkie-anna", old);
        using var _a = anna;
        var file = RandomNumberGenerator.GetBytes(5000);

        var mxc = await anna.UploadMediaAsync(file, cancellationToken: ct);
        var download = await anna.DownloadMediaAsync(mxc, cancellationToken: ct);

        Assert.Equal(file, download.Content);
        await AssertRequestCountAsync(hs, 1, "GET", "/_matrix/media/v3/download/");
        Assert.Equal(0, CountRequests(hs, "GET", "/_matrix/client/v1/media/"));
        Assert.NotNull((await anna.GetMediaConfigAsync(ct)).MaxUploadSize);
        await AssertRequestCountAsync(hs, 1, "GET", "/_matrix/media/v3/config");
    }

    [Fact]
    public async Task A_server_that_advertises_v1_11_but_routes_no_authenticated_media_falls_back_to_the_legacy_endpoint()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(new TestHomeserverOptions { ServeUnauthenticatedMedia = true }, ct);
        var proxy = new LossyHandler { UnroutedPrefix = "/_matrix/client/v1/media/" };
        var (_, anna) = NewClient(hs, "walkie-anna", proxy);
        using var _a = anna;
        var file = RandomNumberGenerator.GetBytes(5000);

        var download = await anna.DownloadMediaAsync(await anna.UploadMediaAsync(file, cancellationToken: ct), cancellationToken: ct);

        Assert.Equal(file, download.Content);
        await AssertRequestCountAsync(hs, 1, "GET", "/_matrix/media/v3/download/");
    }

    [Fact]
    public async Task Media_is_not_served_by_the_legacy_endpoint_of_a_current_server_so_the_choice_matters()
    {
        // The homeserver's default is Synapse's: new media is 404 on /_matrix/media/v3/download.
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var old = new LossyHandler { ClaimVersions = ["v1.10"] };
        var (_, anna) = NewClient(hs, "walkie-anna", old);
        using var _a = anna;

        var mxc = await anna.UploadMediaAsync(new byte[] { 1, 2, 3 }, cancellationToken: ct);
        var error = await Assert.ThrowsAsync<MatrixException>(() => anna.DownloadMediaAsync(mxc, cancellationToken: ct));
        Assert.Equal(MatrixErrorCode.NotFound, error.ErrorCode);
    }

    [Fact]
    public async Task A_download_larger_than_the_limit_is_refused_with_a_clear_error()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var mxc = await anna.UploadMediaAsync(new byte[10_000], cancellationToken: ct);

        var error = await Assert.ThrowsAsync<MatrixException>(() => anna.DownloadMediaAsync(mxc, maxBytes: 4096, cancellationToken: ct));
        Assert.Equal(MatrixErrorCode.TooLarge, error.ErrorCode);
        Assert.Contains("4096", error.Message);
    }

    [Theory]
    [InlineData("https://example.org/file")]
    [InlineData("mxc://server-only")]
    [InlineData("mxc://server/id/extra")]
    public async Task A_malformed_mxc_uri_is_a_format_error_before_any_request(string uri)
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;

        await Assert.ThrowsAsync<FormatException>(() => anna.DownloadMediaAsync(uri, cancellationToken: ct));
        Assert.Equal(0, CountRequests(hs, "GET", "/download/"));
    }
}
