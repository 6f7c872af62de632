using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// Media repository: upload (<c>/_matrix/media/v3/upload</c>, and the asynchronous <c>/media/v1/create</c> +
/// <c>PUT …/upload/{server}/{id}</c>), authenticated download (<c>/_matrix/client/v1/media/download</c>), the
/// legacy unauthenticated download (404 unless <see cref="TestHomeserverOptions.ServeUnauthenticatedMedia"/>), and
/// the media config. No thumbnails and no remote media: this server has no federation.
/// </summary>
internal static class MediaEndpoints
{
    public static void Map(WebApplication app, ServerContext s)
    {
        // The legacy r0 paths are the v3 ones under their old name (Synapse still serves both).
        foreach (var legacy in new[] { "v3", "r0" })
        {
            MapLegacy(app, s, "/_matrix/media/" + legacy);
        }

        app.MapPost("/_matrix/media/v1/create", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                var owner = s.Authenticate(http).UserId;
                s.Limit(s.Switches.MediaCreate, "rc_media_create", owner, 10, 50);
                var item = new MediaItem(s.State.NewId(18), owner);
                s.State.Media[item.MediaId] = item;
                return Json.Ok(new JsonObject
                {
                    ["content_uri"] = $"mxc://{s.State.ServerName}/{item.MediaId}",
                    ["unused_expires_at"] = s.State.NowMs + 24 * 3600 * 1000,
                });
            }
        });
        app.MapPut("/_matrix/media/v3/upload/{serverName}/{mediaId}", async (HttpContext http, string serverName, string mediaId) =>
        {
            MediaItem item;
            lock (s.State.Gate)
            {
                var owner = s.Authenticate(http).UserId;
                if (serverName != s.State.ServerName || !s.State.Media.TryGetValue(mediaId, out item!))
                {
                    throw MatrixException.NotFound("Media not found");
                }

                if (item.Owner != owner)
                {
                    throw MatrixException.Forbidden("You may not upload to this media id");
                }

                if (item.Content is not null)
                {
                    throw new MatrixException(HttpStatusCode.Conflict, "M_CANNOT_OVERWRITE_MEDIA", "Media ID already has content");
                }
            }
            var content = await ReadBodyAsync(s, http);
            lock (s.State.Gate)
            {
                if (item.Content is not null)
                {
                    throw new MatrixException(HttpStatusCode.Conflict, "M_CANNOT_OVERWRITE_MEDIA", "Media ID already has content");
                }

                Fill(item, content, http);
            }
            return Json.Empty();
        });

        app.MapGet("/_matrix/client/v1/media/download/{serverName}/{mediaId}", (HttpContext http, string serverName, string mediaId) =>
            DownloadAsync(s, http, serverName, mediaId, null, authenticated: true));
        app.MapGet("/_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}", (HttpContext http, string serverName, string mediaId, string fileName) =>
            DownloadAsync(s, http, serverName, mediaId, fileName, authenticated: true));

        app.MapGet("/_matrix/client/v1/media/config", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            return Json.Ok(new JsonObject { ["m.upload.size"] = s.Options.MaxUploadSize });
        });
    }

    private static void MapLegacy(WebApplication app, ServerContext s, string prefix)
    {
        app.MapPost(prefix + "/upload", async (HttpContext http) =>
        {
            string owner;
            lock (s.State.Gate)
            {
                owner = s.Authenticate(http).UserId;
            }

            var content = await ReadBodyAsync(s, http);
            lock (s.State.Gate)
            {
                var item = new MediaItem(s.State.NewId(18), owner);
                Fill(item, content, http);
                s.State.Media[item.MediaId] = item;
                return Json.Ok(new JsonObject { ["content_uri"] = $"mxc://{s.State.ServerName}/{item.MediaId}" });
            }
        });
        app.MapGet(prefix + "/download/{serverName}/{mediaId}", (HttpContext http, string serverName, string mediaId) =>
            DownloadAsync(s, http, serverName, mediaId, null, authenticated: false));
        app.MapGet(prefix + "/download/{serverName}/{mediaId}/{fileName}", (HttpContext http, string serverName, string mediaId, string fileName) =>
            DownloadAsync(s, http, serverName, mediaId, fileName, authenticated: false));
        app.MapGet(prefix + "/config", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                s.Authenticate(http);
            }

            return Json.Ok(new JsonObject { ["m.upload.size"] = s.Options.MaxUploadSize });
        });
    }

    private static void Fill(MediaItem item, byte[] content, HttpContext http)
    {
        item.Content = content;
        item.ContentType = http.Request.ContentType is { Length: > 0 } type ? type : "application/octet-stream";
        item.FileName = http.Request.Query["filename"] is { Count: > 0 } name ? name.ToString() : null;
        item.Uploaded.TrySetResult();
    }

    private static async Task<byte[]> ReadBodyAsync(ServerContext s, HttpContext http)
    {
        if (http.Request.ContentLength > s.Options.MaxUploadSize)
        {
            throw MatrixException.TooLarge("Uploaded content is too large");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > s.Options.MaxUploadSize)
            {
                throw MatrixException.TooLarge("Uploaded content is too large");
            }

            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<IResult> DownloadAsync(ServerContext s, HttpContext http, string serverName, string mediaId,
        string? fileName, bool authenticated)
    {
        MediaItem? item;
        lock (s.State.Gate)
        {
            if (authenticated)
            {
                s.Authenticate(http);
            }
            else if (!s.Options.ServeUnauthenticatedMedia)
            {
                throw MatrixException.NotFound("Not found");
            }

            item = serverName == s.State.ServerName ? s.State.Media.GetValueOrDefault(mediaId) : null;
        }
        if (item is null)
        {
            throw MatrixException.NotFound("Not found");
        }

        if (item.Content is null)
        {
            var timeoutMs = long.TryParse(http.Request.Query["timeout_ms"], out var t) && t >= 0 ? Math.Min(t, 60_000) : 20_000;
            try
            {
                await item.Uploaded.Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), http.RequestAborted);
            }
            catch (TimeoutException)
            {
                throw new MatrixException(HttpStatusCode.GatewayTimeout, "M_NOT_YET_UPLOADED", "Media has not been uploaded yet");
            }
        }
        var name = fileName ?? item.FileName;
        http.Response.Headers.ContentDisposition = name is null ? "attachment" : $"attachment; filename*=utf-8''{Uri.EscapeDataString(name)}";
        return Results.Bytes(item.Content!, item.ContentType);
    }
}
