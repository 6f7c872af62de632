using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Device;

public sealed partial class MatrixDevice
{
    /// <summary>Performs everything the crypto machine wants sent (key upload, device queries, …), until it wants nothing.</summary>
    private async Task FlushOutgoingRequestsAsync(CancellationToken cancellationToken)
    {
        await _cryptoGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushOutgoingRequestsLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cryptoGate.Release();
        }
    }

    private async Task FlushOutgoingRequestsLockedAsync(CancellationToken cancellationToken)
    {
        // Bounded: each round answers what the last one asked for; a machine that keeps asking is a bug, not a loop.
        for (var round = 0; round < 5; round++)
        {
            var requests = _crypto.OutgoingRequests();
            if (requests.Count == 0)
            {
                return;
            }

            _crypto.Save(null);
            foreach (var request in requests)
            {
                await PerformLockedAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        _logger.LogWarning("The crypto machine of {Device} still has requests after five rounds", Describe());
    }

    /// <summary>
    /// Sends one request of the machine (its method, path and body as given; retried like any idempotent call, to-device
    /// messages with their fixed transaction id), hands the answer back and saves. A permanent refusal is reported to
    /// the machine as failed (it plans again later) and thrown; a transient failure leaves the request pending.
    /// </summary>
    private async Task PerformLockedAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        JsonObject response;
        try
        {
            response = await _client.Http.SendJsonAsync<JsonObject>(new HttpMethod(request.Method), request.Path.TrimStart('/'),
                JsonNode.Parse(request.BodyJson), RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        }
        catch (MatrixException refused) when (!refused.IsTransient && !refused.IsUnknownToken)
        {
            _crypto.MarkRequestAsFailed(request);
            _logger.LogWarning("Crypto request {Method} {Path} of {Device} refused: {Error}", request.Method, request.Path, Describe(), refused.Message);
            throw;
        }
        _crypto.MarkRequestAsSent(request, response);
        _crypto.Save(null);
    }
}
