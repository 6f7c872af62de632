// A matrix-js-sdk 43 peer (Rust crypto, headless) driven through JSON lines, for interop tests.
//
// Protocol: one JSON object per line on stdin: {"id": <any>, "cmd": "<name>", ...arguments}.
// One JSON object per line on stdout for each: {"id", "ok": true, "result": {...}} or {"id", "ok": false,
// "error": "<message>"}. Commands run concurrently (a waitForEvent does not block a sendText); answers carry the
// id of their command. Nothing else is written to stdout: every log line (js-sdk, Rust crypto) goes to stderr.
// The process exits when stdin closes or after "stop".
//
// One process is one Matrix device. Each command is the function of the same name below; the C# driver
// (tests/WalkieTalkie.Interop.JsPeer) wraps them in typed methods.

import { createInterface } from "node:readline";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";

const protocolOut = process.stdout.write.bind(process.stdout);
const toStderr = (...args) => process.stderr.write(args.map(a => (typeof a === "string" ? a : safeJson(a))).join(" ") + "\n");
// Before js-sdk is loaded: its logger binds the console methods when it is imported.
console.log = console.info = console.debug = console.trace = console.warn = console.error = toStderr;

// matrix-js-sdk 43 declares node >= 22; on Node 20 the only missing piece is Promise.withResolvers.
if (!Promise.withResolvers) {
    Promise.withResolvers = function () {
        let resolve, reject;
        const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
        return { promise, resolve, reject };
    };
}

const sdk = await import("matrix-js-sdk");
const cryptoApi = await import("matrix-js-sdk/lib/crypto-api/index.js");
sdk.logger?.setLevel?.(process.env.PEER_LOG_LEVEL ?? "warn");

const DEFAULT_TIMEOUT_MS = 30000;

/** The one client of this process and what it has seen. */
const peer = {
    baseUrl: null,
    session: null,        // { userId, deviceId, accessToken, password? }
    client: null,
    events: new Map(),    // event id -> MatrixEvent (remote echoes only), in arrival order
    receipts: [],         // every receipt the server sent in m.receipt ephemeral events: { roomId, eventId, type, userId, ts, threadId }
    autoJoin: false,
};

function safeJson(value) {
    try { return JSON.stringify(value); } catch { return String(value); }
}

function reply(message) {
    protocolOut(JSON.stringify(message) + "\n");
}

function required(args, name) {
    if (args[name] === undefined || args[name] === null) throw new Error(`missing argument '${name}'`);
    return args[name];
}

function requireClient() {
    if (!peer.client) throw new Error("no client: call 'start' first");
    return peer.client;
}

function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls until check() returns a value other than undefined, or throws after timeoutMs. */
async function waitUntil(what, timeoutMs, check) {
    const deadline = Date.now() + (timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs ?? DEFAULT_TIMEOUT_MS} ms waiting for ${what}`);
        await sleep(50);
    }
}

function unpaddedBase64(buffer) {
    return Buffer.from(buffer).toString("base64").replace(/=+$/, "");
}

function fromBase64Any(text) {
    return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

// ---------------------------------------------------------------------------------------------------------
// Sessions

async function login(args) {
    peer.baseUrl = required(args, "baseUrl");
    const temp = sdk.createClient({ baseUrl: peer.baseUrl });
    const response = await temp.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: required(args, "user") },
        password: required(args, "password"),
        device_id: args.deviceId,
        initial_device_display_name: args.deviceDisplayName,
    });
    peer.session = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token, password: args.password };
    return { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
}

async function register(args) {
    peer.baseUrl = required(args, "baseUrl");
    const temp = sdk.createClient({ baseUrl: peer.baseUrl });
    const body = { username: required(args, "username"), password: required(args, "password"), device_id: args.deviceId };
    let response;
    try {
        response = await temp.registerRequest(body);
    } catch (e) {
        // User-interactive auth: the server offers m.login.dummy for open registration.
        if (e.httpStatus !== 401 || !e.data?.session) throw e;
        response = await temp.registerRequest({ ...body, auth: { type: "m.login.dummy", session: e.data.session } });
    }
    peer.session = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token, password: args.password };
    return { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
}

async function useSession(args) {
    peer.baseUrl = required(args, "baseUrl");
    peer.session = {
        userId: required(args, "userId"), deviceId: required(args, "deviceId"),
        accessToken: required(args, "accessToken"), password: args.password,
    };
    return { userId: peer.session.userId, deviceId: peer.session.deviceId };
}

// ---------------------------------------------------------------------------------------------------------
// Client and crypto

function isolationMode(name) {
    switch (name ?? "all") {
        case "all": return new cryptoApi.AllDevicesIsolationMode(false);
        case "onlySigned": return new cryptoApi.OnlySignedDevicesIsolationMode();
        default: throw new Error(`unknown isolation mode '${name}' (all | onlySigned)`);
    }
}

async function start(args) {
    if (!peer.session) throw new Error("no session: call 'login', 'register' or 'useSession' first");
    if (peer.client) throw new Error("already started");
    const client = sdk.createClient({
        baseUrl: peer.baseUrl,
        userId: peer.session.userId,
        deviceId: peer.session.deviceId,
        accessToken: peer.session.accessToken,
        timelineSupport: true,
    });
    peer.client = client;
    await client.initRustCrypto({ useIndexedDB: false });
    client.getCrypto().setDeviceIsolationMode(isolationMode(args.isolation));

    client.on(sdk.RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
        const id = event.getId();
        if (!id || !id.startsWith("$") || event.status) return; // local echoes are reported by their remote echo
        peer.events.set(id, event);
        client.decryptEventIfNeeded(event).catch(e => toStderr("decrypt failed", id, String(e)));
    });
    client.on(sdk.ClientEvent.Event, event => {
        // Only m.receipt ephemeral events from /sync arrive here; js-sdk's synthetic receipts (the local echo of our
        // own sendReceipt, the implicit receipt of each event's sender) go to the room only.
        if (event.getType() !== "m.receipt") return;
        for (const [eventId, byType] of Object.entries(event.getContent() ?? {})) {
            const roomId = event.getRoomId() ?? client.getRooms().find(r => r.findEventById(eventId))?.roomId ?? null;
            for (const [type, byUser] of Object.entries(byType ?? {})) {
                for (const [userId, data] of Object.entries(byUser ?? {})) {
                    peer.receipts.push({ roomId, eventId, type, userId, ts: data?.ts ?? null, threadId: data?.thread_id ?? null });
                }
            }
        }
    });
    client.on(sdk.RoomMemberEvent.Membership, (event, member) => {
        if (peer.autoJoin && member.userId === peer.session.userId && member.membership === "invite") {
            client.joinRoom(member.roomId).catch(e => toStderr("auto-join failed", member.roomId, String(e)));
        }
    });

    const prepared = new Promise((resolve, reject) => {
        const onSync = state => {
            if (state === "PREPARED" || state === "SYNCING") {
                client.off(sdk.ClientEvent.Sync, onSync);
                resolve();
            }
        };
        client.on(sdk.ClientEvent.Sync, onSync);
        setTimeout(() => reject(new Error("timed out waiting for the first sync")), args.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    });
    await client.startClient({ initialSyncLimit: args.initialSyncLimit ?? 20 });
    await prepared;
    return await ownKeys();
}

async function ownKeys() {
    const keys = await requireClient().getCrypto().getOwnDeviceKeys();
    return { userId: peer.session.userId, deviceId: peer.session.deviceId, ed25519: keys.ed25519, curve25519: keys.curve25519 };
}

async function bootstrapCrossSigning(args) {
    const client = requireClient();
    const password = args.password ?? peer.session.password;
    await client.getCrypto().bootstrapCrossSigning({
        setupNewCrossSigning: args.reset === true,
        authUploadDeviceSigningKeys: async makeRequest => {
            try {
                await makeRequest(null);
            } catch (e) {
                // Servers before MSC3967, or a replacement: user-interactive auth with the password.
                if (e.httpStatus !== 401 || !password) throw e;
                await makeRequest({
                    type: "m.login.password",
                    identifier: { type: "m.id.user", user: peer.session.userId },
                    password,
                    session: e.data?.session,
                });
            }
        },
    });
    const status = await client.getCrypto().getCrossSigningStatus();
    const ready = await client.getCrypto().isCrossSigningReady();
    return { ready, status };
}

async function setIsolationMode(args) {
    requireClient().getCrypto().setDeviceIsolationMode(isolationMode(required(args, "mode")));
    return {};
}

async function deviceVerificationStatus(args) {
    const client = requireClient();
    const userId = required(args, "userId");
    const deviceId = required(args, "deviceId");
    // Make sure the device list is current before judging.
    await client.getCrypto().getUserDeviceInfo([userId], true);
    const status = await client.getCrypto().getDeviceVerificationStatus(userId, deviceId);
    if (!status) return { known: false };
    return {
        known: true,
        signedByOwner: status.signedByOwner,
        crossSigningVerified: status.crossSigningVerified,
        locallyVerified: status.localVerified,
        verified: status.isVerified(),
    };
}

/** Waits until the device is in this client's device list of its user (after a device list change reached it). */
async function waitForDevice(args) {
    const userId = required(args, "userId");
    const deviceId = required(args, "deviceId");
    await waitUntil(`device ${userId} ${deviceId}`, args.timeoutMs, async () => {
        const map = await requireClient().getCrypto().getUserDeviceInfo([userId], true);
        return map.get(userId)?.has(deviceId) ? true : undefined;
    });
    return await deviceVerificationStatus(args);
}

async function userDevices(args) {
    const userId = required(args, "userId");
    const map = await requireClient().getCrypto().getUserDeviceInfo([userId], true);
    const devices = map.get(userId) ?? new Map();
    return {
        devices: [...devices.values()].map(d => ({
            deviceId: d.deviceId, displayName: d.displayName ?? null, algorithms: d.algorithms, keys: Object.fromEntries(d.keys),
        })),
    };
}

// ---------------------------------------------------------------------------------------------------------
// Rooms and messages

async function createRoom(args) {
    const client = requireClient();
    const initialState = [];
    if (args.encrypted !== false) {
        initialState.push({ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } });
    }
    const { room_id: roomId } = await client.createRoom({
        name: args.name, preset: args.preset ?? "private_chat", invite: args.invite ?? [], initial_state: initialState,
    });
    await waitUntil(`room ${roomId} in the client`, args.timeoutMs, () => (client.getRoom(roomId) ? true : undefined));
    return { roomId };
}

async function joinRoom(args) {
    const room = await requireClient().joinRoom(required(args, "roomId"));
    return { roomId: room.roomId };
}

async function invite(args) {
    await requireClient().invite(required(args, "roomId"), required(args, "userId"));
    return {};
}

async function setAutoJoin(args) {
    peer.autoJoin = args.enabled !== false;
    const client = requireClient();
    if (peer.autoJoin) {
        for (const room of client.getRooms()) {
            if (room.getMyMembership() === "invite") await client.joinRoom(room.roomId);
        }
    }
    return {};
}

async function waitForMembers(args) {
    const client = requireClient();
    const roomId = required(args, "roomId");
    const userIds = required(args, "userIds");
    const membership = args.membership ?? "join";
    await waitUntil(`${userIds.join(", ")} to be '${membership}' in ${roomId}`, args.timeoutMs, () => {
        const room = client.getRoom(roomId);
        if (!room) return undefined;
        return userIds.every(u => room.getMember(u)?.membership === membership) ? true : undefined;
    });
    return {};
}

async function sendMessage(args) {
    const { event_id: eventId } = await requireClient().sendMessage(required(args, "roomId"), required(args, "content"));
    return { eventId };
}

/** A state event (never encrypted: state is not, in Matrix); returns its event id. */
async function sendStateEvent(args) {
    const { event_id: eventId } = await requireClient().sendStateEvent(
        required(args, "roomId"), required(args, "type"), required(args, "content"), args.stateKey ?? "");
    return { eventId };
}

async function sendText(args) {
    return await sendMessage({ roomId: args.roomId, content: { msgtype: "m.text", body: required(args, "body") } });
}

/** Encrypts with AES-256-CTR as the spec's encrypted attachments have it, uploads, sends the event. */
async function sendAttachment(args) {
    const client = requireClient();
    const plaintext = Buffer.from(required(args, "dataBase64"), "base64");
    const encrypted = encryptAttachment(plaintext);
    const upload = await client.uploadContent(encrypted.ciphertext, { type: "application/octet-stream", includeFilename: false });
    const file = { url: upload.content_uri, ...encrypted.info };
    const mimetype = args.mimetype ?? "application/octet-stream";
    const content = {
        msgtype: args.msgtype ?? "m.file",
        body: args.filename ?? "attachment",
        file,
        info: { mimetype, size: plaintext.length },
        ...(args.extraContent ?? {}),
    };
    const { event_id: eventId } = await client.sendMessage(required(args, "roomId"), content);
    return { eventId, mxc: upload.content_uri, content };
}

function encryptAttachment(plaintext) {
    const key = randomBytes(32);
    const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]); // the low 64 bits are the block counter
    const cipher = createCipheriv("aes-256-ctr", key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
        ciphertext,
        info: {
            key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: key.toString("base64url"), ext: true },
            iv: unpaddedBase64(iv),
            hashes: { sha256: unpaddedBase64(createHash("sha256").update(ciphertext).digest()) },
            v: "v2",
        },
    };
}

/** Downloads an encrypted file (authenticated media), checks its SHA-256, decrypts it. */
async function downloadAttachment(args) {
    const client = requireClient();
    let file = args.file;
    if (!file) {
        const event = peer.events.get(required(args, "eventId"));
        if (!event) throw new Error(`event ${args.eventId} not seen`);
        file = event.getContent().file;
        if (!file) throw new Error(`event ${args.eventId} has no 'file'`);
    }
    const url = client.mxcUrlToHttp(file.url, undefined, undefined, undefined, false, true, true);
    if (!url) throw new Error(`not an mxc URI: ${file.url}`);
    const response = await fetch(url, {
        headers: { Authorization: `Bearer ${client.getAccessToken()}` },
        signal: AbortSignal.timeout(args.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`download failed: HTTP ${response.status} ${await response.text()}`);
    const ciphertext = Buffer.from(await response.arrayBuffer());
    const actual = unpaddedBase64(createHash("sha256").update(ciphertext).digest());
    if (actual !== file.hashes?.sha256?.replace(/=+$/, "")) throw new Error(`SHA-256 mismatch: got ${actual}, expected ${file.hashes?.sha256}`);
    if (file.key?.alg !== "A256CTR") throw new Error(`unsupported key algorithm ${file.key?.alg}`);
    // v1 and v2 use a 64-bit counter in the low half of the IV, which starts at zero; Node's 128-bit CTR counter
    // gives the same stream for any file shorter than 2^64 blocks. The legacy v0 (full 128-bit counter) is refused.
    if (file.v !== "v2" && file.v !== "v1") throw new Error(`unsupported encrypted file version ${file.v}`);
    const iv = fromBase64Any(file.iv ?? "");
    if (iv.length !== 16) throw new Error(`the IV must be 16 bytes, got ${iv.length}`);
    const decipher = createDecipheriv("aes-256-ctr", fromBase64Any(file.key.k), iv);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    const sha256 = createHash("sha256").update(plaintext).digest("hex");
    if (args.outputPath) {
        await writeFile(args.outputPath, plaintext);
        return { outputPath: args.outputPath, size: plaintext.length, sha256 };
    }
    return { dataBase64: plaintext.toString("base64"), size: plaintext.length, sha256 };
}

// ---------------------------------------------------------------------------------------------------------
// Voice messages, as Element sends them (createVoiceMessageContent in matrix-react-sdk)

/** The Opus header and the playable length of an Ogg Opus file (RFC 7845: last granule position minus pre-skip, at 48 kHz). */
function readOggOpus(file) {
    let offset = 0;
    let head = null;
    let lastGranule = -1n;
    while (offset + 27 <= file.length) {
        if (file.toString("latin1", offset, offset + 4) !== "OggS") throw new Error(`not an Ogg file: no page at byte ${offset}`);
        const granule = file.readBigInt64LE(offset + 6);
        const segments = file[offset + 26];
        const table = file.subarray(offset + 27, offset + 27 + segments);
        const bodyLength = table.reduce((sum, n) => sum + n, 0);
        const body = file.subarray(offset + 27 + segments, offset + 27 + segments + bodyLength);
        if (body.length < bodyLength) throw new Error("truncated Ogg page");
        if (head === null) {
            if (body.length < 19 || body.toString("latin1", 0, 8) !== "OpusHead") throw new Error("not Ogg Opus: the first packet is not OpusHead");
            head = { channels: body[9], preSkip: body.readUInt16LE(10), inputSampleRate: body.readUInt32LE(12) };
        }
        if (granule !== -1n) lastGranule = granule;
        offset += 27 + segments + bodyLength;
    }
    if (head === null) throw new Error("empty file");
    const samples = lastGranule > BigInt(head.preSkip) ? Number(lastGranule - BigInt(head.preSkip)) : 0;
    return { ...head, durationMs: Math.round(samples / 48), samples };
}

/** 100 RMS levels scaled to 0..1024 (Element's THUMBNAIL_WAVEFORM_SAMPLES, round(v * 1024)), from opusdec's PCM. */
async function waveformOf(path, channels, points = 100) {
    const pcm = await new Promise((resolve, reject) => {
        execFile("opusdec", ["--quiet", "--rate", "48000", path, "-"], { encoding: "buffer", maxBuffer: 512 * 1024 * 1024 },
            (error, stdout, stderr) => error ? reject(new Error(`opusdec failed: ${error.message} ${stderr}`)) : resolve(stdout));
    });
    const frames = Math.floor(pcm.length / (2 * channels));
    const levels = [];
    for (let i = 0; i < points; i++) {
        const from = Math.floor(i * frames / points);
        const to = Math.max(from + 1, Math.floor((i + 1) * frames / points));
        let sum = 0;
        let count = 0;
        for (let f = from; f < to && f < frames; f++) {
            let mono = 0;
            for (let c = 0; c < channels; c++) mono += pcm.readInt16LE((f * channels + c) * 2);
            const v = mono / channels / 32768;
            sum += v * v;
            count++;
        }
        levels.push(count === 0 ? 0 : Math.min(1024, Math.round(Math.sqrt(sum / count) * 1024)));
    }
    return levels;
}

/**
 * Sends an Ogg Opus file as an encrypted voice message: the file is AES-CTR encrypted and uploaded, and the
 * m.audio event carries Element's voice markers (MSC1767 audio with duration and waveform, MSC3245 voice).
 */
async function sendVoiceMessage(args) {
    const client = requireClient();
    const path = required(args, "path");
    const plaintext = await readFile(path);
    const opus = readOggOpus(plaintext);
    const durationMs = args.durationMs ?? opus.durationMs;
    const waveform = args.waveform ?? await waveformOf(path, opus.channels);
    const encrypted = encryptAttachment(plaintext);
    const upload = await client.uploadContent(encrypted.ciphertext, { type: "application/octet-stream", includeFilename: false });
    const file = { url: upload.content_uri, mimetype: "audio/ogg", ...encrypted.info };
    const body = args.body ?? "Voice message";
    const content = {
        msgtype: "m.audio",
        body,
        file,
        info: { mimetype: "audio/ogg", size: plaintext.length, duration: durationMs },
        "org.matrix.msc1767.text": body,
        "org.matrix.msc1767.file": { file, name: "Voice message.ogg", mimetype: "audio/ogg", size: plaintext.length },
        "org.matrix.msc1767.audio": { duration: durationMs, waveform },
        "org.matrix.msc3245.voice": {},
    };
    if (args.relatesTo) content["m.relates_to"] = args.relatesTo;
    const { event_id: eventId } = await client.sendMessage(required(args, "roomId"), content);
    return { eventId, mxc: upload.content_uri, durationMs, waveform, channels: opus.channels, inputSampleRate: opus.inputSampleRate };
}

// ---------------------------------------------------------------------------------------------------------
// Receipts

async function sendReceipt(args) {
    const client = requireClient();
    const roomId = required(args, "roomId");
    const eventId = required(args, "eventId");
    const event = peer.events.get(eventId) ?? client.getRoom(roomId)?.findEventById(eventId);
    if (!event) throw new Error(`event ${eventId} not seen in ${roomId}`);
    await client.sendReceipt(event, args.type ?? "m.read", {}, args.unthreaded === true);
    return {};
}

function matchingReceipts(args) {
    return peer.receipts.filter(r =>
        (!args.roomId || r.roomId === args.roomId) && (!args.eventId || r.eventId === args.eventId)
        && (!args.userId || r.userId === args.userId) && (!args.type || r.type === args.type));
}

async function receipts(args) {
    return { receipts: matchingReceipts(args) };
}

async function waitForReceipt(args) {
    const found = await waitUntil(`a receipt matching ${safeJson(args)}`, args.timeoutMs, () => {
        const list = matchingReceipts(args);
        return list.length > 0 ? list[list.length - 1] : undefined;
    });
    return found;
}

// ---------------------------------------------------------------------------------------------------------
// Room state

/** Sends a state event from this user; returns its event id (the server's refusal is thrown). */
async function sendState(args) {
    const { event_id: eventId } = await requireClient().sendStateEvent(
        required(args, "roomId"), required(args, "type"), required(args, "content"), args.stateKey ?? "");
    return { eventId };
}

function describeState(event) {
    return {
        type: event.getType(), stateKey: event.getStateKey(), sender: event.getSender(), eventId: event.getId(),
        ts: event.getTs(), content: event.getContent(),
    };
}

/** The room's current state as the client holds it (from sync), optionally one type only. */
async function roomState(args) {
    const room = requireClient().getRoom(required(args, "roomId"));
    if (!room) throw new Error(`room ${args.roomId} not known to the client`);
    const state = room.getLiveTimeline().getState("f");
    const events = args.type ? state.getStateEvents(args.type) : [...state.events.values()].flatMap(m => [...m.values()]);
    return { events: events.map(describeState) };
}

/** Waits until the room's state holds a state event of the type (and key, and sender) given. */
async function waitForState(args) {
    const type = required(args, "type");
    return await waitUntil(`state ${type} ${args.stateKey ?? "*"} in ${args.roomId}`, args.timeoutMs, () => {
        const room = requireClient().getRoom(required(args, "roomId"));
        const found = room?.getLiveTimeline().getState("f").getStateEvents(type)
            .filter(e => (args.stateKey === undefined || args.stateKey === null || e.getStateKey() === args.stateKey)
                && (!args.sender || e.getSender() === args.sender));
        return found && found.length > 0 ? describeState(found[0]) : undefined;
    });
}

async function describeEvent(event) {
    const crypto = requireClient().getCrypto();
    let shield = null;
    if (event.isEncrypted() && !event.isDecryptionFailure()) {
        const info = await crypto.getEncryptionInfoForEvent(event);
        if (info) {
            shield = {
                colour: info.shieldColour,
                colourName: cryptoApi.EventShieldColour[info.shieldColour],
                reason: info.shieldReason,
                reasonName: info.shieldReason === null ? null : cryptoApi.EventShieldReason[info.shieldReason],
            };
        }
    }
    return {
        eventId: event.getId(),
        roomId: event.getRoomId(),
        sender: event.getSender(),
        type: event.getType(),
        wireType: event.getWireType(),
        encrypted: event.isEncrypted(),
        content: event.getContent(),
        senderDeviceId: event.isEncrypted() ? event.getWireContent().device_id ?? null : null,
        decryptionFailure: event.isDecryptionFailure() ? String(event.decryptionFailureReason) : null,
        shield,
    };
}

/**
 * Waits for a room event that matches every filter given (eventId, roomId, sender, type, msgtype, body), after
 * decryption. A matching event whose decryption failed is reported only when the wait times out (a late room key
 * makes js-sdk retry), with `decryptionFailure` set.
 */
/**
 * Whether an event matches every filter given (eventId, roomId, sender, type, msgtype, body): true, false, or
 * "pending" when it passes the filters it can be judged by but is not (yet) decrypted.
 */
function eventMatcher(args) {
    return event => {
        if (args.eventId && event.getId() !== args.eventId) return false;
        if (args.roomId && event.getRoomId() !== args.roomId) return false;
        if (args.sender && event.getSender() !== args.sender) return false;
        if (event.isDecryptionFailure() || event.isBeingDecrypted() || event.shouldAttemptDecryption()) {
            return args.type === undefined || args.type === "m.room.encrypted" || event.isDecryptionFailure() ? "pending" : false;
        }
        if (args.type && event.getType() !== args.type) return false;
        const content = event.getContent();
        if (args.msgtype && content.msgtype !== args.msgtype) return false;
        if (args.body && content.body !== args.body) return false;
        return true;
    };
}

/**
 * Waits for a room event that matches every filter given, after decryption. A matching event whose decryption
 * failed is reported only when the wait times out (a late room key makes js-sdk retry), with `decryptionFailure` set.
 */
async function waitForEvent(args) {
    const matches = eventMatcher(args);
    const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        let failed = null;
        for (const event of peer.events.values()) {
            const m = matches(event);
            if (m === true) return await describeEvent(event);
            if (m === "pending" && event.isDecryptionFailure()) failed = event;
        }
        if (Date.now() >= deadline) {
            if (failed) return await describeEvent(failed);
            throw new Error(`timed out after ${timeoutMs} ms waiting for an event matching ${safeJson(args)}`);
        }
        await sleep(50);
    }
}

/**
 * Waits until `count` events match the filters (decrypted), and returns them in the order the client received
 * them. On timeout it fails, listing how many matched and any that failed to decrypt.
 */
async function waitForEvents(args) {
    const count = required(args, "count");
    const matches = eventMatcher(args);
    const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const found = [...peer.events.values()].filter(e => matches(e) === true);
        if (found.length >= count) return { events: await Promise.all(found.slice(0, count).map(describeEvent)) };
        if (Date.now() >= deadline) {
            const failures = [...peer.events.values()].filter(e => matches(e) === "pending" && e.isDecryptionFailure());
            const detail = failures.map(e => `${e.getId()}: ${e.decryptionFailureReason}`).join(", ");
            throw new Error(`timed out after ${timeoutMs} ms: ${found.length} of ${count} events matching ${safeJson(args)}`
                + (failures.length ? `; failed to decrypt: ${detail}` : ""));
        }
        await sleep(50);
    }
}

/** Every event received so far that matches the filters, decrypted or not, in the order the client received them. */
async function events(args) {
    const matches = eventMatcher(args);
    const list = [...peer.events.values()].filter(e => matches(e) !== false);
    return { events: await Promise.all(list.map(describeEvent)) };
}

async function stop() {
    peer.client?.stopClient();
    setTimeout(() => process.exit(0), 100);
    return {};
}

const commands = {
    login, register, useSession, start, ownKeys, bootstrapCrossSigning, setIsolationMode, deviceVerificationStatus,
    userDevices, waitForDevice, createRoom, joinRoom, invite, setAutoJoin, waitForMembers, sendMessage, sendStateEvent, sendText, sendAttachment,
    downloadAttachment, waitForEvent, waitForEvents, events, sendVoiceMessage, sendReceipt, receipts, waitForReceipt, stop,
    sendState, roomState, waitForState,
    ping: async () => ({ node: process.version }),
};

async function handle(line) {
    let request;
    try {
        request = JSON.parse(line);
    } catch {
        reply({ id: null, ok: false, error: `not JSON: ${line.slice(0, 200)}` });
        return;
    }
    const command = commands[request.cmd];
    if (!command) {
        reply({ id: request.id, ok: false, error: `unknown command '${request.cmd}'` });
        return;
    }
    try {
        reply({ id: request.id, ok: true, result: await command(request) });
    } catch (e) {
        const detail = e?.data ? ` ${safeJson(e.data)}` : "";
        reply({ id: request.id, ok: false, error: `${e?.name ?? "Error"}: ${e?.message ?? e}${detail}` });
    }
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on("line", line => {
    if (line.trim().length > 0) handle(line);
});
input.on("close", () => {
    peer.client?.stopClient();
    setTimeout(() => process.exit(0), 100);
});
reply({ id: null, ok: true, result: { ready: true, node: process.version } });
