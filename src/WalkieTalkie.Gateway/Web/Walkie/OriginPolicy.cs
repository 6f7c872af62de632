using Microsoft.AspNetCore.Http;

namespace WalkieTalkie.Gateway.Web.Walkie;

/// <summary>
/// Which pages may open the web walkie's WebSocket: the gateway's own origin (the scheme and host the request came to:
/// the page is served from here, in Element's iframe too) and those an operator lists. A browser always sends
/// <c>Origin</c> on a WebSocket request, so a missing one is refused as well.
/// </summary>
public static class OriginPolicy
{
    public static bool IsAllowed(string? origin, HttpRequest request, IReadOnlyCollection<string> allowed)
    {
        if (string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        var normalized = uri.GetLeftPart(UriPartial.Authority);
        return string.Equals(normalized, own, StringComparison.OrdinalIgnoreCase)
            || allowed.Any(a => string.Equals(a.TrimEnd('/'), normalized, StringComparison.OrdinalIgnoreCase));
    }
}
