// The web walkie's browser side, imported by the C# client ([JSImport], Browser/Js*.cs): the WebSocket, the audio
// context with its two worklets, signal tones, the screen wake lock and the space bar. It hands everything to C#
// ([JSExport], Browser/BrowserEvents.cs) and keeps a playback tap (globalThis.walkieTap) that tests read back.
let exports = null;
let socket = null;
let context = null;
let capture = null;
let playback = null;
let microphone = null;
let queued = 0;          // samples written to the speaker and not yet played
let lastWrite = 0;       // samples in the last block written to the speaker
let wakeLock = null;

// played: what sounded and when; captured: microphone posts; blocks: what played other than as received; tones;
// written: every block handed to the speaker, when and at which sample of what was written (writtenSamples counts
// them), so a block's sound time is read from played; spoken: when each block this page sent entered its microphone.
const tap = { played: [], captured: [], blocks: [], tones: [], written: [], spoken: [], writtenSamples: 0, enabled: true };
globalThis.walkieTap = tap;

async function events() {
  if (!exports) {
    const runtime = await globalThis.getDotnetRuntime(0);
    exports = (await runtime.getAssemblyExports('WalkieTalkie.WebWalkie.dll')).WalkieTalkie.WebWalkie.Browser.BrowserEvents;
  }
  return exports;
}

// Context time to the wall clock (Unix ms), through the output timestamp the context reports.
function wallClock(contextTime) {
  const stamp = context.getOutputTimestamp ? context.getOutputTimestamp() : null;
  const perf = stamp && stamp.performanceTime ? stamp.performanceTime + (contextTime - stamp.contextTime) * 1000
    : performance.now() + (contextTime - context.currentTime) * 1000;
  return performance.timeOrigin + perf;
}

export async function init() {
  const e = await events();
  document.addEventListener('keydown', (k) => {
    if (k.code === 'Space' && !k.repeat && !(k.target instanceof HTMLInputElement) && !(k.target instanceof HTMLButtonElement && k.target.type === 'submit')) {
      k.preventDefault();
      e.OnKey(true);
    }
  });
  document.addEventListener('keyup', (k) => {
    if (k.code === 'Space' && !(k.target instanceof HTMLInputElement)) {
      k.preventDefault();
      e.OnKey(false);
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && wakeLock === null && context) { requestWakeLock(); }
  });
  // Steps the badge when nothing else does (audio messages and socket messages step it most of the time; timers in a
  // hidden tab run at most once a second).
  setInterval(() => e.OnTick(), 20);
}

export function openSocket(url) {
  closeSocket();
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  ws.onopen = () => exports.OnSocketOpen();
  ws.onclose = () => { if (socket === ws) { socket = null; } exports.OnSocketClosed(); };
  ws.onerror = () => {};
  ws.onmessage = (m) => { if (m.data instanceof ArrayBuffer) { exports.OnSocketMessage(new Uint8Array(m.data)); } };
}

export function sendSocket(bytes) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(bytes.slice());
    return true;
  }
  return false;
}

export function socketOpen() {
  return socket !== null && socket.readyState === WebSocket.OPEN;
}

export function closeSocket() {
  if (socket) {
    const ws = socket;
    socket = null;
    ws.close();
  }
}

// Creates (or resumes) the audio context and both worklets. Needs a user gesture in most browsers.
export async function startAudio() {
  if (!context) {
    context = new AudioContext({ latencyHint: 'interactive' });
    const base = new URL('./', import.meta.url);
    await context.audioWorklet.addModule(new URL('capture-worklet.js', base));
    await context.audioWorklet.addModule(new URL('playback-worklet.js', base));
    playback = new AudioWorkletNode(context, 'walkie-playback', { numberOfInputs: 0, outputChannelCount: [1] });
    playback.port.onmessage = (m) => {
      if (m.data.played) {
        queued = Math.max(0, queued - m.data.played.length);
        if (tap.enabled) { tap.played.push({ t: wallClock(m.data.time), s: Array.from(m.data.played) }); }
        exports.OnTick();
      }
    };
    playback.connect(context.destination);
    capture = new AudioWorkletNode(context, 'walkie-capture', { numberOfOutputs: 0 });
    capture.port.onmessage = (m) => {
      const samples = m.data.samples;
      if (tap.enabled) { tap.captured.push({ t: wallClock(m.data.time), n: samples.length }); }
      exports.OnCaptured(new Uint8Array(samples.buffer), wallClock(m.data.time));
      exports.OnTick();
    };
  }
  if (context.state !== 'running') {
    await context.resume();
  }
  requestWakeLock();
  return context.state === 'running';
}

export function audioState() {
  return context ? context.state : 'none';
}

// The microphone as it is, like a badge's: a walkie is half-duplex (the speaker is silent while this page talks), so
// echo cancellation has nothing to cancel, and the browser's noise suppression and gain control reshape the voice
// every badge and the recording hear (speech through them scored 0.72..0.80 against the spoken clip, 0.97 without).
async function openMicrophone() {
  if (microphone) { return; }
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  microphone = context.createMediaStreamSource(stream);
  microphone.connect(capture);
}

export async function captureStart(rate) {
  await startAudio();
  capture.port.postMessage({ rate });
  await openMicrophone();
  capture.port.postMessage({ enabled: true });
}

export function captureStop() {
  if (capture) { capture.port.postMessage({ enabled: false }); }
}

// A block the badge's jitter buffer handed to the speaker just now (the last playbackWrite): Played, or not received
// audio as sent (Concealed, Silence, Shortened), which also goes to blocks.
export function tapBlock(kind, burst, sequence, block) {
  if (!tap.enabled) { return; }
  tap.written.push({ kind, burst, sequence, block, start: tap.writtenSamples - lastWrite, n: lastWrite, t: performance.timeOrigin + performance.now() });
  if (kind !== 'Played') { tap.blocks.push({ t: Date.now(), kind, sequence }); }
}

// A block this page captured and sent: frame sequence, block index and when its first sample entered the microphone (Unix ms).
export function tapSpoken(sequence, block, at) {
  if (tap.enabled) { tap.spoken.push({ sequence, block, t: at }); }
}

export function playbackStart(rate) {
  if (playback) { playback.port.postMessage({ rate }); }
}

export function playbackWrite(bytes) {
  if (!playback) { return; }
  const samples = new Int16Array(bytes.slice().buffer);
  queued += samples.length;
  lastWrite = samples.length;
  if (tap.enabled) { tap.writtenSamples += samples.length; }
  playback.port.postMessage({ samples }, [samples.buffer]);
}

export function playbackQueued() {
  return queued;
}

export function playbackStop() {
  // What is queued plays out; nothing more is written until the next start.
}

// Signal tones, as the badge plays them: rising for "talk", low for "busy", falling for "cut".
const tones = {
  0: [[880, 0.07], [1320, 0.07]],
  1: [[330, 0.12], [0, 0.06], [330, 0.12]],
  2: [[1320, 0.07], [880, 0.07]],
  3: [[660, 0.05]],
};

const toneNames = { 0: 'talk', 1: 'busy', 2: 'cut', 3: 'click' };

export function tone(kind) {
  if (!context || context.state !== 'running') { return; }
  if (tap.enabled) { tap.tones.push({ t: Date.now(), kind: toneNames[kind] || toneNames[3] }); }
  let at = context.currentTime + 0.01;
  for (const [frequency, length] of tones[kind] || tones[3]) {
    if (frequency > 0) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + length);
      osc.connect(gain).connect(context.destination);
      osc.start(at);
      osc.stop(at + length);
    }
    at += length;
  }
}

export async function requestWakeLock() {
  try {
    if ('wakeLock' in navigator && document.visibilityState === 'visible') {
      wakeLock = await navigator.wakeLock.request('screen');
      wakeLock.addEventListener('release', () => { wakeLock = null; });
    }
  } catch {
    wakeLock = null;
  }
}

export function storageGet(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

export function storageSet(key, value) {
  try {
    if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
  } catch { }
}

export function registerServiceWorker() {
  if ('serviceWorker' in navigator && window.self === window.top) {
    navigator.serviceWorker.register('service-worker.js').catch(() => {});
  }
}

export function isInFrame() {
  return window.self !== window.top;
}
