using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Media;

/// <summary><c>POST /_matrix/media/v3/upload</c> answer.</summary>
public sealed record UploadResponse([property: JsonPropertyName("content_uri")] string ContentUri);

/// <summary><c>GET …/media/config</c> answer.</summary>
public sealed record MediaConfig([property: JsonPropertyName("m.upload.size")] long? MaxUploadSize);

/// <summary>Downloaded media.</summary>
public sealed record MediaDownload(byte[] Content, string? ContentType);

/// <summary>The parts of an <c>mxc://server/mediaId</c> URI.</summary>
public sealed record MxcUri(string ServerName, string MediaId)
{
    /// <summary>Parses an mxc URI; throws <see cref="FormatException"/> for anything else.</summary>
    public static MxcUri Parse(string uri)
    {
        const string scheme = "mxc://";
        if (!uri.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new FormatException($"Not an mxc URI: '{uri}'");
        }

        var rest = uri[scheme.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1 || rest.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"An mxc URI is mxc://<server-name>/<media-id>: '{uri}'");
        }

        return new MxcUri(rest[..slash], rest[(slash + 1)..]);
    }

    public override string ToString() => $"mxc://{ServerName}/{MediaId}";
}
