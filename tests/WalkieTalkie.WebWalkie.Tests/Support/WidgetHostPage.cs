namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>
/// A stand-in for Element's side of a room widget: a page that embeds the web walkie in an iframe as Element's
/// <c>AppTile</c> does (its URL templated by <c>Widget.getCompleteUrl</c>, then <c>widgetId</c> and <c>parentUrl</c>
/// added; the same <c>allow</c> and <c>sandbox</c>), and talks to it with matrix-widget-api's <c>ClientWidgetApi</c> and a
/// <c>WidgetDriver</c>. The driver does what Element's client would, through functions the test exposes
/// (<c>hostOpenId</c>, <c>hostSendState</c>, <c>hostRoomState</c>), which call the test homeserver as the user.
/// </summary>
public static class WidgetHostPage
{
    public const string Origin = "http://element.test";

    public const string Url = Origin + "/room.html";

    /// <param name="widgetApi">matrix-widget-api's browser bundle, inlined (the page's origin is not the gateway's).</param>
    /// <param name="widgetEvent">The widget's state event content as <c>walkie channel link</c> writes it (url, waitForIframeLoad).</param>
    public static string Html(string widgetApi, System.Text.Json.Nodes.JsonObject widgetEvent, string widgetId, string roomId, string userId, string deviceId) => Html(
        widgetApi, widgetEvent["url"]!.GetValue<string>(), widgetEvent["waitForIframeLoad"]?.GetValue<bool>() != false ? "true" : "false", widgetId, roomId, userId, deviceId);

    private static string Html(string widgetApi, string widgetUrl, string waitForIframeLoad, string widgetId, string roomId, string userId, string deviceId) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Element stand-in</title>
        <script>{{widgetApi}}</script></head>
        <body>
        <script>
        const w = globalThis.mxwidgets;
        const room = {{Js(roomId)}};
        window.host = { requested: [], approved: [], sent: [], alwaysOnScreen: null, errors: [] };
        class TestDriver extends w.WidgetDriver {
          async validateCapabilities(requested) {
            host.requested = [...requested];
            host.approved = [...requested];
            return requested;
          }
          askOpenID(observer) {
            hostOpenId().then((t) => observer.update({ state: w.OpenIDRequestState.Allowed, token: JSON.parse(t) }))
              .catch((e) => { host.errors.push(String(e)); observer.update({ state: w.OpenIDRequestState.Blocked }); });
          }
          async sendEvent(eventType, content, stateKey, roomId) {
            if (stateKey === null || stateKey === undefined) { throw new Error('only state events here'); }
            const eventId = await hostSendState(eventType, stateKey, JSON.stringify(content));
            host.sent.push({ type: eventType, state_key: stateKey, content });
            return { roomId: roomId || room, eventId };
          }
          async readRoomState(roomId, eventType, stateKey) {
            return JSON.parse(await hostRoomState(eventType, stateKey === undefined ? null : stateKey));
          }
          getKnownRooms() { return [room]; }
        }
        const widget = new w.Widget({ id: {{Js(widgetId)}}, creatorUserId: {{Js(userId)}}, type: 'm.custom', url: {{Js(widgetUrl)}}, name: 'Walkie', data: {}, waitForIframeLoad: {{waitForIframeLoad}} });
        const src = new URL(widget.getCompleteUrl({ widgetRoomId: room, currentUserId: {{Js(userId)}}, userDisplayName: 'Mum', deviceId: {{Js(deviceId)}},
          clientId: 'element.test', clientTheme: 'light', clientLanguage: 'en', baseUrl: 'http://home.test' }));
        src.searchParams.set('widgetId', widget.id);
        src.searchParams.set('parentUrl', location.href);
        const iframe = document.createElement('iframe');
        iframe.id = 'widget';
        iframe.width = 420; iframe.height = 860;
        iframe.allow = 'microphone; camera; encrypted-media; autoplay; display-capture; clipboard-write; clipboard-read;';
        iframe.sandbox = 'allow-forms allow-popups allow-popups-to-escape-sandbox allow-same-origin allow-scripts allow-presentation allow-downloads';
        iframe.src = src.toString().replace(/%24/g, '$');
        document.body.appendChild(iframe);
        const api = new w.ClientWidgetApi(widget, iframe, new TestDriver());
        api.setViewedRoomId(room);
        api.on('action:set_always_on_screen', (ev) => {
          ev.preventDefault();
          host.alwaysOnScreen = ev.detail.data.value;
          api.transport.reply(ev.detail, { success: true });
        });
        window.widgetApi = api;
        </script>
        </body></html>
        """;

    private static string Js(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
