// The overview's live stream: the browser's EventSource (it reconnects by itself) handing each event to .NET.
export function watch(url, receiver) {
    const source = new EventSource(url);
    for (const kind of ['snapshot', 'update']) {
        source.addEventListener(kind, e => receiver.invokeMethodAsync('OnLive', e.data));
    }
    source.onopen = () => receiver.invokeMethodAsync('OnConnection', true);
    source.onerror = () => receiver.invokeMethodAsync('OnConnection', false);
    return { close: () => source.close() };
}
