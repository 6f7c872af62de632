using System.Text.Json.Nodes;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>
/// The web walkie as an Element room widget: the <c>im.vector.modular.widgets</c> state event <c>walkie channel link</c>
/// writes (Element reads no other widget type), its state key the widget id, one per channel so linking again
/// replaces it. The URL carries the widget API's template variables for the room, user and device, which Element fills
/// in; they are only hints, the user is proven by OpenID (docs/web.md).
/// </summary>
public static class WalkieWidget
{
    public const string EventType = "im.vector.modular.widgets";

    /// <summary>Element's type for a widget it has no special handling for (what <c>/addwidget</c> writes).</summary>
    public const string WidgetType = "m.custom";

    public const string TemplateQuery = "room=$matrix_room_id&user=$matrix_user_id&device=$org.matrix.msc3819.matrix_device_id";

    /// <summary>The widget id (state key) of a channel's walkie.</summary>
    public static string WidgetId(string channel) => "walkie-" + channel;

    /// <summary>The web walkie's address with the template query, from the address room members' clients reach it at.</summary>
    /// <exception cref="FormatException">Not an absolute http or https address, or one that already has a query.</exception>
    public static string Url(string walkieUrl)
    {
        if (!Uri.TryCreate(walkieUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new FormatException($"the web walkie's address '{walkieUrl}' is not an absolute https address (e.g. https://gateway.example:8443/walkie/)");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new FormatException($"the web walkie's address '{walkieUrl}' must have no query or fragment: the widget's own is added to it");
        }

        return uri.GetLeftPart(UriPartial.Path) + "?" + TemplateQuery;
    }

    /// <summary>The state event's content: Element lists a widget only when it has both a type and a URL.</summary>
    /// <exception cref="FormatException">See <see cref="Url"/>.</exception>
    public static JsonObject Content(string channel, string walkieUrl) => new()
    {
        ["type"] = WidgetType,
        ["url"] = Url(walkieUrl),
        ["name"] = "Walkie · " + channel,
        ["data"] = new JsonObject(),
        // The page's iframe loads long before the Blazor client has started the widget API: Element must wait for the
        // widget's content_loaded, or its capabilities request goes unanswered.
        ["waitForIframeLoad"] = false,
    };
}
