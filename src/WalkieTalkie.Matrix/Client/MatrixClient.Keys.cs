using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Keys;

namespace WalkieTalkie.Matrix.Client;

/// <summary>
/// The key endpoints as plain calls: the crypto machine produces each body (signed JSON) and reads each answer.
/// All are retried like idempotent calls: uploading the same keys again is accepted, a query is a read, a
/// repeated claim at worst spends one more one-time key.
/// </summary>
public sealed partial class MatrixClient
{
    /// <summary><c>POST /keys/upload</c> (device keys, one-time keys, fallback keys).</summary>
    public Task<KeysUploadResponse> UploadKeysAsync(JsonObject body, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<KeysUploadResponse>(HttpMethod.Post, V3 + "/keys/upload", body, RetryMode.Idempotent, cancellationToken);

    /// <summary><c>POST /keys/query</c>.</summary>
    public Task<KeysQueryResponse> QueryKeysAsync(JsonObject body, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<KeysQueryResponse>(HttpMethod.Post, V3 + "/keys/query", body, RetryMode.Idempotent, cancellationToken);

    /// <summary><c>POST /keys/claim</c>.</summary>
    public Task<KeysClaimResponse> ClaimKeysAsync(JsonObject body, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<KeysClaimResponse>(HttpMethod.Post, V3 + "/keys/claim", body, RetryMode.Idempotent, cancellationToken);

    /// <summary><c>POST /keys/signatures/upload</c>.</summary>
    public Task<SignaturesUploadResponse> UploadSignaturesAsync(JsonObject body, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<SignaturesUploadResponse>(HttpMethod.Post, V3 + "/keys/signatures/upload", body,
            RetryMode.Idempotent, cancellationToken);

    /// <summary><c>GET /keys/changes?from&amp;to</c>: catches up on device-list changes after a restart.</summary>
    public Task<KeyChangesResponse> GetKeyChangesAsync(string from, string to, CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<KeyChangesResponse>(HttpMethod.Get,
            V3 + "/keys/changes" + MatrixHttp.Query(("from", from), ("to", to)), null, RetryMode.Idempotent, cancellationToken);

    /// <summary>
    /// <c>POST /keys/device_signing/upload</c> (master, self-signing, user-signing keys). Synapse ≥ 1.110 takes
    /// the first upload without user-interactive auth; when the server answers 401 with flows instead, the
    /// request is repeated once with <c>m.login.password</c> auth, if a password is given.
    /// </summary>
    public async Task UploadCrossSigningKeysAsync(JsonObject body, string? password = null,
        CancellationToken cancellationToken = default)
    {
        const string path = V3 + "/keys/device_signing/upload";
        try
        {
            await Http.SendJsonAsync<JsonObject>(HttpMethod.Post, path, body, RetryMode.Idempotent, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MatrixException challenge) when (challenge.IsUserInteractiveAuthChallenge)
        {
            if (password is null)
            {
                throw new MatrixException(HttpStatusCode.Unauthorized, challenge.ErrorCode,
                    "The homeserver wants the account password to upload cross-signing keys.", body: challenge.Body);
            }

            if (!OffersPasswordStage(challenge.Body!))
            {
                throw new MatrixException(HttpStatusCode.Unauthorized, challenge.ErrorCode,
                    "The homeserver offers no m.login.password flow for uploading cross-signing keys.", body: challenge.Body);
            }

            var withAuth = (JsonObject)body.DeepClone();
            withAuth["auth"] = new JsonObject
            {
                ["type"] = "m.login.password",
                ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = UserId },
                ["password"] = password,
                ["session"] = challenge.Body!["session"]?.DeepClone(),
            };
            await Http.SendJsonAsync<JsonObject>(HttpMethod.Post, path, withAuth, RetryMode.Idempotent, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static bool OffersPasswordStage(JsonObject challenge) =>
        challenge["flows"] is JsonArray flows && flows.Any(flow =>
            flow?["stages"] is JsonArray stages && stages.Count == 1 && stages[0]?.GetValue<string>() == "m.login.password");
}
