namespace WalkieTalkie.Matrix.Crypto.Machine.Requests;

/// <summary>An HTTP request the machine needs performed. The caller sends <see cref="BodyJson"/> with
/// <see cref="Method"/> to <see cref="Path"/> on the homeserver (with its access token), then reports the response body
/// with <see cref="OlmMachine.MarkRequestAsSent"/>, or <see cref="OlmMachine.MarkRequestAsFailed"/> if it gave up.
/// A request stays pending until then, and may be returned again with the same <see cref="RequestId"/>.</summary>
/// <param name="RequestId">Unique id; also the transaction id of to-device requests.</param>
/// <param name="Method">"POST" or "PUT".</param>
/// <param name="Path">The path below the homeserver's base URL, e.g. <c>/_matrix/client/v3/keys/upload</c>.</param>
/// <param name="BodyJson">The JSON body.</param>
public abstract record OutgoingRequest(string RequestId, string Method, string Path, string BodyJson);

/// <summary><c>POST /keys/upload</c>: device keys, one-time keys, fallback key.</summary>
public sealed record KeysUploadRequest(string RequestId, string BodyJson)
    : OutgoingRequest(RequestId, "POST", "/_matrix/client/v3/keys/upload", BodyJson);

/// <summary><c>POST /keys/query</c> for <paramref name="Users"/>.</summary>
public sealed record KeysQueryRequest(string RequestId, IReadOnlyList<string> Users, string BodyJson)
    : OutgoingRequest(RequestId, "POST", "/_matrix/client/v3/keys/query", BodyJson);

/// <summary><c>POST /keys/claim</c>: one-time keys to start Olm sessions with devices.</summary>
public sealed record KeysClaimRequest(string RequestId, string BodyJson)
    : OutgoingRequest(RequestId, "POST", "/_matrix/client/v3/keys/claim", BodyJson);

/// <summary><c>PUT /sendToDevice/{EventType}/{RequestId}</c>: the body is <c>{"messages": {user: {device: content}}}</c>.</summary>
public sealed record ToDeviceRequest(string RequestId, string EventType, string BodyJson)
    : OutgoingRequest(RequestId, "PUT",
        $"/_matrix/client/v3/sendToDevice/{Uri.EscapeDataString(EventType)}/{Uri.EscapeDataString(RequestId)}", BodyJson);

/// <summary><c>POST /keys/signatures/upload</c>: our device signed by our self-signing key (and our master key by our device).</summary>
public sealed record SignatureUploadRequest(string RequestId, string BodyJson)
    : OutgoingRequest(RequestId, "POST", "/_matrix/client/v3/keys/signatures/upload", BodyJson);

/// <summary><c>POST /keys/device_signing/upload</c>: our cross-signing public keys. The server may answer 401 with a
/// user-interactive auth flow: the caller then adds an <c>auth</c> object to the body and sends it again (Synapse
/// 1.110 and later need none for the first upload).</summary>
public sealed record DeviceSigningUploadRequest(string RequestId, string BodyJson)
    : OutgoingRequest(RequestId, "POST", "/_matrix/client/v3/keys/device_signing/upload", BodyJson);
