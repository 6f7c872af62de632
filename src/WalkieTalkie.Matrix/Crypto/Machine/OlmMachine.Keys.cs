using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Our keys on the server: device keys once, one-time keys topped up, fallback key replaced when used or old.
public sealed partial class OlmMachine
{
    /// <summary>Old fallback keys stay usable this long after a new one was made, for messages already on the way.</summary>
    private static readonly TimeSpan PreviousFallbackKeyLifetime = TimeSpan.FromHours(1);
    /// <summary>An unused fallback key is still replaced after this long (as rust-sdk does), to bound its exposure.</summary>
    private static readonly TimeSpan FallbackKeyRotationPeriod = TimeSpan.FromDays(7);

    private bool _deviceKeysUploaded;
    private int? _serverOneTimeKeyCount;
    private bool _needsFallbackKey = true;
    private string? _uploadInFlight;

    private void ReceiveKeyCounts(IReadOnlyDictionary<string, long>? oneTimeKeyCounts, IReadOnlyList<string>? unusedFallbackKeyTypes)
    {
        if (oneTimeKeyCounts is not null)
        {
            _serverOneTimeKeyCount = (int)Math.Clamp(oneTimeKeyCounts.GetValueOrDefault(SignedCurve25519), 0, int.MaxValue);
        }
        // A sync computed before our upload landed may still miss the key: only conclude when no upload is on the way.
        if (unusedFallbackKeyTypes is not null && _uploadInFlight is null && _deviceKeysUploaded
            && !unusedFallbackKeyTypes.Contains(SignedCurve25519))
        {
            _needsFallbackKey = true;
        }

        var now = Now;
        if (Account.FallbackKeyCreatedAt is { } created)
        {
            if (Account.HasPreviousFallbackKey && now - created > PreviousFallbackKeyLifetime && Account.UnpublishedFallbackKey is null)
            {
                Account.ForgetPreviousFallbackKey();
                _accountDirty = true;
            }
            if (now - created > FallbackKeyRotationPeriod)
            {
                _needsFallbackKey = true;
            }
        }
        _metadataDirty = true;
    }

    private void PlanKeysUpload()
    {
        if (_uploadInFlight is not null)
        {
            return;
        }

        var now = Now;
        var count = _serverOneTimeKeyCount ?? (_deviceKeysUploaded ? null : 0);
        var unpublished = Account.UnpublishedOneTimeKeys.Count;
        // Top up when half are gone, not after every claim: one upload per many claims.
        if (count is { } c && c + unpublished < OlmAccount.MaxServerOneTimeKeys / 2 + 1)
        {
            Account.GenerateOneTimeKeys(OlmAccount.MaxServerOneTimeKeys - c - unpublished, now);
            _accountDirty = true;
        }
        if (_needsFallbackKey && Account.UnpublishedFallbackKey is null)
        {
            Account.GenerateFallbackKey(now);
            _accountDirty = true;
        }

        var (oneTimeKeys, fallbackKeys) = Account.SignedUnpublishedKeys(UserId, DeviceId);
        if (_deviceKeysUploaded && oneTimeKeys.Count == 0 && fallbackKeys.Count == 0)
        {
            return;
        }

        var body = new JsonObject();
        if (!_deviceKeysUploaded)
        {
            body["device_keys"] = Account.DeviceKeys(UserId, DeviceId);
        }

        if (oneTimeKeys.Count > 0)
        {
            body["one_time_keys"] = oneTimeKeys;
        }

        if (fallbackKeys.Count > 0)
        {
            body["fallback_keys"] = fallbackKeys;
        }

        var request = Register(new KeysUploadRequest(NewRequestId(), body.ToJsonString()), OnKeysUploaded, () => _uploadInFlight = null);
        _uploadInFlight = request.RequestId;
    }

    private void OnKeysUploaded(JsonObject response)
    {
        _uploadInFlight = null;
        Account.MarkKeysAsPublished();
        _accountDirty = true;
        _deviceKeysUploaded = true;
        _needsFallbackKey = false;
        if (response["one_time_key_counts"] is JsonObject counts)
        {
            _serverOneTimeKeyCount = (int)Math.Clamp(JsonRead.Integer(counts[SignedCurve25519]) ?? 0, 0, int.MaxValue);
        }
    }
}
