using System.Net;
using System.Net.Http.Headers;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Media;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary>Largest download accepted unless the caller says otherwise (Synapse's default upload limit).</summary>
    public const long DefaultMaxDownloadBytes = 50L * 1024 * 1024;

    /// <summary>
    /// <c>POST /_matrix/media/v3/upload</c> (there is no client/v1 upload). Returns the mxc URI. An upload is not
    /// idempotent, so it is repeated only when the server certainly did not store it (429, connection refused).
    /// </summary>
    public async Task<string> UploadMediaAsync(ReadOnlyMemory<byte> content, string contentType = "application/octet-stream",
        string? fileName = null, CancellationToken cancellationToken = default, RetryMode retry = RetryMode.WhenNotProcessed,
        RetryPolicy? policy = null)
    {
        var path = "_matrix/media/v3/upload" + MatrixHttp.Query(("filename", fileName));
        var response = await Http.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new ReadOnlyMemoryContent(content) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } },
            },
            async (r, ct) => await ReadAs<UploadResponse>(r, ct).ConfigureAwait(false),
            retry, cancellationToken, policy: policy).ConfigureAwait(false);
        MxcUri.Parse(response.ContentUri);
        return response.ContentUri;
    }

    /// <summary>
    /// Downloads media: from the authenticated <c>/_matrix/client/v1/media/download</c> when the server's
    /// <c>/versions</c> offers it (v1.11+), else from the legacy <c>/_matrix/media/v3/download</c>. Refuses
    /// anything larger than <paramref name="maxBytes"/> without reading it all.
    /// </summary>
    public async Task<MediaDownload> DownloadMediaAsync(string mxcUri, long maxBytes = DefaultMaxDownloadBytes,
        CancellationToken cancellationToken = default)
    {
        var mxc = MxcUri.Parse(mxcUri);
        var tail = $"{Seg(mxc.ServerName)}/{Seg(mxc.MediaId)}";
        var versions = await GetVersionsAsync(cancellationToken).ConfigureAwait(false);
        if (versions.SupportsAuthenticatedMedia)
        {
            try
            {
                return await DownloadAsync("_matrix/client/v1/media/download/" + tail, authenticated: true, maxBytes, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MatrixException unknown) when (unknown.ErrorCode == MatrixErrorCode.Unrecognized
                                                  && unknown.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                // A server that advertises the version but routes no such endpoint (a proxy in front of an old one).
            }
        }
        return await DownloadAsync("_matrix/media/v3/download/" + tail, authenticated: false, maxBytes, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The server's upload size limit, from whichever config endpoint it has.</summary>
    public async Task<MediaConfig> GetMediaConfigAsync(CancellationToken cancellationToken = default)
    {
        var versions = await GetVersionsAsync(cancellationToken).ConfigureAwait(false);
        var path = versions.SupportsAuthenticatedMedia ? "_matrix/client/v1/media/config" : "_matrix/media/v3/config";
        return await Http.SendJsonAsync<MediaConfig>(HttpMethod.Get, path, null, RetryMode.Idempotent, cancellationToken)
            .ConfigureAwait(false);
    }

    private Task<MediaDownload> DownloadAsync(string path, bool authenticated, long maxBytes, CancellationToken cancellationToken) =>
        Http.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, path),
            async (response, ct) =>
            {
                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                {
                    throw TooLarge(length, maxBytes);
                }

                await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        throw TooLarge(buffer.Length + read, maxBytes);
                    }

                    buffer.Write(chunk, 0, read);
                }
                return new MediaDownload(buffer.ToArray(), response.Content.Headers.ContentType?.ToString());
            },
            RetryMode.Idempotent, cancellationToken, authenticated);

    private static MatrixException TooLarge(long size, long maxBytes) =>
        new(HttpStatusCode.OK, MatrixErrorCode.TooLarge, $"Media of {size}+ bytes exceeds the download limit of {maxBytes} bytes.");

    private static async Task<T> ReadAs<T>(HttpResponseMessage response, CancellationToken ct) =>
        await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<T>(response.Content, MatrixJson.Options, ct)
            .ConfigureAwait(false)
        ?? throw new MatrixException(response.StatusCode, MatrixErrorCode.Unrecognized, "Empty answer from the media repository.");
}
