using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace WalkieTalkie.Gateway.Web.Walkie;

/// <summary>
/// Serves the published web walkie (Blazor WebAssembly) under <c>/walkie/</c>, and the same app as the console under <c>/console/</c>: its files, Brotli or gzip when the
/// browser takes them and the publish made them (<c>.br</c>, <c>.gz</c> beside each file), and <c>index.html</c> for
/// the page's own routes. The published files are fingerprinted, so all but the entry points are cached for good.
/// </summary>
public static class WalkieClientFiles
{
    public const string BasePath = "/walkie";

    /// <summary>The console: the same app's second face.</summary>
    public const string ConsolePath = "/console";

    private static readonly string[] Faces = [BasePath, ConsolePath];

    private static readonly string[] EntryPoints = ["index.html", "service-worker.js", "manifest.webmanifest"];

    public static void UseWalkieClient(this WebApplication app, string clientPath)
    {
        var root = Path.Combine(clientPath, "wwwroot");
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("Web walkie not served: no published client in {Path} (dotnet publish src/WalkieTalkie.WebWalkie)", root);
            return;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wasm"] = "application/wasm";
        types.Mappings[".webmanifest"] = "application/manifest+json";
        types.Mappings[".dat"] = "application/octet-stream";
        types.Mappings[".blat"] = "application/octet-stream";
        types.Mappings[".pdb"] = "application/octet-stream";
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                foreach (var face in Faces)
                {
                    if (context.Request.Path.StartsWithSegments(face, out var rest) && !rest.StartsWithSegments("/v1"))
                    {
                        if (rest.HasValue && await ServeAsync(context, files, types, rest.Value!.TrimStart('/')))
                        {
                            return;
                        }

                        if (!Path.HasExtension(rest.Value ?? "") && await ServeEntryAsync(context, files, types, face))
                        {
                            return;
                        }
                    }
                }
            }

            await next();
        });
    }

    /// <summary>
    /// The page for the app's own routes: under <see cref="BasePath"/> as published; under <see cref="ConsolePath"/> with
    /// its base address there (Blazor routes only inside its base), the app's files served beside it.
    /// </summary>
    private static async Task<bool> ServeEntryAsync(HttpContext context, IFileProvider files, FileExtensionContentTypeProvider types, string face)
    {
        if (face == BasePath)
        {
            return await ServeAsync(context, files, types, "index.html");
        }

        var file = files.GetFileInfo("index.html");
        if (!file.Exists)
        {
            return false;
        }

        string page;
        using (var reader = new StreamReader(file.CreateReadStream()))
        {
            page = (await reader.ReadToEndAsync(context.RequestAborted)).Replace($"<base href=\"{BasePath}/\" />", $"<base href=\"{face}/\" />", StringComparison.Ordinal);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(page, context.RequestAborted);
        }

        return true;
    }

    private static async Task<bool> ServeAsync(HttpContext context, IFileProvider files, FileExtensionContentTypeProvider types, string path)
    {
        if (path.Length == 0 || path.Contains("..", StringComparison.Ordinal) || !types.TryGetContentType(path, out var contentType))
        {
            return false;
        }

        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return false;
        }

        var accepts = context.Request.Headers.AcceptEncoding.ToString();
        var encoding = (string?)null;
        foreach (var (name, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (accepts.Contains(name, StringComparison.OrdinalIgnoreCase) && files.GetFileInfo(path + suffix) is { Exists: true } compressed)
            {
                file = compressed;
                encoding = name;
                break;
            }
        }

        var response = context.Response;
        response.ContentType = contentType;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = EntryPoints.Contains(path) || path.StartsWith("_framework/dotnet.js", StringComparison.Ordinal)
            ? "no-cache" : "public, max-age=604800";
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        response.ContentLength = file.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.SendFileAsync(file, context.RequestAborted);
        }

        return true;
    }
}
