// The web walkie as a Matrix room widget: the widget side of the Matrix widget API through matrix-widget-api, as
// Element's widgets use it. It asks for exactly what it needs: always-on-screen (audio survives a room switch), to send
// this device's own MSC4002 accept, to read the room's accepts, permits and power levels, and to send permits (used
// only when the user has the power to grant).
let api = null;
const state = new Map();   // "type|state_key" -> event
let changed = null;

const Accept = 'org.matrix.msc4002.accept';
const Permit = 'org.matrix.msc4002.permit';

function remember(events) {
  for (const ev of events || []) {
    if (ev && ev.type && ev.state_key !== undefined) {
      state.set(ev.type + '|' + ev.state_key, ev);
    }
  }
  if (changed) { changed(); }
}

export async function start(widgetId, parentUrl, acceptKey) {
  const w = globalThis.mxwidgets;
  const origin = parentUrl ? new URL(parentUrl).origin : '*';
  api = new w.WidgetApi(widgetId, origin);
  api.requestCapability(w.MatrixCapabilities.AlwaysOnScreen);
  api.requestCapabilityToSendState(Accept, acceptKey);
  api.requestCapabilityToSendState(Permit);
  api.requestCapabilityToReceiveState(Accept);
  api.requestCapabilityToReceiveState(Permit);
  api.requestCapabilityToReceiveState('m.room.power_levels', '');
  api.requestCapabilityToReceiveState('m.room.create', '');
  api.on('action:update_state', (ev) => {
    ev.preventDefault();
    remember(ev.detail.data.state);
    api.transport.reply(ev.detail, {});
  });
  api.on('action:send_event', (ev) => {
    ev.preventDefault();
    remember([ev.detail.data]);
    api.transport.reply(ev.detail, {});
  });
  const ready = new Promise((resolve) => api.once('ready', resolve));
  api.start();
  // The widget event says waitForIframeLoad: false (the client starts well after the iframe's load): the host waits
  // for this before it asks for capabilities.
  api.sendContentLoaded();
  await ready;
  const token = await api.requestOpenIDConnectToken();
  let onScreen = false;
  try { onScreen = await api.setAlwaysOnScreen(true); } catch { onScreen = false; }
  return JSON.stringify({ token, onScreen, capabilities: [...(api.allowedCapabilities || [])] });
}

export async function sendState(type, stateKey, contentJson) {
  const result = await api.sendStateEvent(type, stateKey, JSON.parse(contentJson));
  return result.event_id || '';
}

export function roomState() {
  return JSON.stringify([...state.values()]);
}

export function onStateChanged(callback) {
  changed = callback;
}
