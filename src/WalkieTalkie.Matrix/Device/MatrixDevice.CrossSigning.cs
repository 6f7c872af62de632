using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Matrix.Device;

public sealed partial class MatrixDevice
{
    /// <summary>
    /// Gives the account its cross-signing identity and signs this device with it, once in the device's life. The
    /// identity is created and saved before anything is uploaded, so a crash in between re-uploads the same keys
    /// instead of making a second identity. An account that already has a different master key on the server is
    /// never reset from here: that is an operator's decision (a reset needs the password and loses others' trust).
    /// </summary>
    private async Task EnsureCrossSigningAsync(CancellationToken cancellationToken)
    {
        await _cryptoGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_crypto.CrossSigningComplete || _options.SkipCrossSigningForTests)
            {
                return;
            }

            var (keys, signatures) = _crypto.BootstrapCrossSigning();
            _crypto.Save(null);

            var own = new JsonObject { ["device_keys"] = new JsonObject { [_client.UserId] = new JsonArray() } };
            var published = await _client.QueryKeysAsync(own, cancellationToken).ConfigureAwait(false);
            if (published.MasterKeys?.GetValueOrDefault(_client.UserId) is { } master && !_crypto.IsOurMasterKey(master))
            {
                throw new InvalidOperationException(
                    $"{_client.UserId} already has a cross-signing identity that this badge's key store does not hold. " +
                    "It is not reset automatically: reset it from a client of that account, or give the badge its own account.");
            }

            // The client answers the server's password challenge, where there is one (servers before MSC3967).
            await _client.UploadCrossSigningKeysAsync((JsonObject)JsonNode.Parse(keys.BodyJson)!, _options.AccountPassword, cancellationToken)
                .ConfigureAwait(false);
            _crypto.MarkRequestAsSent(keys, new JsonObject());
            var answer = await _client.UploadSignaturesAsync((JsonObject)JsonNode.Parse(signatures.BodyJson)!, cancellationToken).ConfigureAwait(false);
            if (answer.Failures is { Count: > 0 } failures)
            {
                throw new InvalidOperationException($"The homeserver refused the device's cross-signing signature: {failures.ToJsonString()}");
            }

            _crypto.MarkRequestAsSent(signatures, new JsonObject());
            _crypto.Save(null);
            _logger.LogInformation("Cross-signing identity of {User} created and device {Device} signed", _client.UserId, _client.DeviceId);
        }
        finally
        {
            _cryptoGate.Release();
        }
    }
}
