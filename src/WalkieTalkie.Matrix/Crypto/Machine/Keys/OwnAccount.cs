using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine.Keys;

/// <summary>Our device's Olm account and its keys on the server: device keys uploaded once, one-time keys topped up,
/// the fallback key replaced when used or old (matrix-rust-sdk keeps this bookkeeping in its <c>Account</c>).</summary>
internal sealed class OwnAccount
{
    /// <summary>Old fallback keys stay usable this long after a new one was made, for messages already on the way.</summary>
    private static readonly TimeSpan PreviousFallbackKeyLifetime = TimeSpan.FromHours(1);
    /// <summary>An unused fallback key is still replaced after this long (as rust-sdk does), to bound its exposure.</summary>
    private static readonly TimeSpan FallbackKeyRotationPeriod = TimeSpan.FromDays(7);

    private readonly string _userId;
    private readonly string _deviceId;
    private readonly TimeProvider _time;
    private readonly PendingRequests _requests;
    private bool _accountChanged;
    private bool _metadataChanged;
    private bool _deviceKeysUploaded;
    private int? _serverOneTimeKeyCount;
    private bool _needsFallbackKey = true;
    private string? _uploadInFlight;

    /// <summary>A new account (<paramref name="isNew"/>) goes into the next changes.</summary>
    public OwnAccount(string userId, string deviceId, OlmAccount account, bool isNew, TimeProvider time, PendingRequests requests)
    {
        _userId = userId;
        _deviceId = deviceId;
        Account = account;
        _accountChanged = isNew;
        _time = time;
        _requests = requests;
    }

    public OlmAccount Account { get; }

    public bool HasChanges => _accountChanged || _metadataChanged;

    /// <summary>Drops a one-time key an inbound Olm session was made with (the session is kept from now on).</summary>
    public void ConsumeOneTimeKey(OneTimeKey key)
    {
        Account.ConsumeOneTimeKey(key);
        _accountChanged = true;
    }

    /// <summary>A sync's <c>device_one_time_keys_count</c> and <c>device_unused_fallback_key_types</c>.</summary>
    public void ReceiveKeyCounts(IReadOnlyDictionary<string, long>? oneTimeKeyCounts, IReadOnlyList<string>? unusedFallbackKeyTypes)
    {
        if (oneTimeKeyCounts is not null)
        {
            _serverOneTimeKeyCount = (int)Math.Clamp(oneTimeKeyCounts.GetValueOrDefault(MatrixAlgorithms.SignedCurve25519), 0, int.MaxValue);
        }
        // A sync computed before our upload landed may still miss the key: only conclude when no upload is on the way.
        if (unusedFallbackKeyTypes is not null && _uploadInFlight is null && _deviceKeysUploaded
            && !unusedFallbackKeyTypes.Contains(MatrixAlgorithms.SignedCurve25519))
        {
            _needsFallbackKey = true;
        }

        var now = _time.GetUtcNow();
        if (Account.FallbackKeyCreatedAt is { } created)
        {
            if (Account.HasPreviousFallbackKey && now - created > PreviousFallbackKeyLifetime && Account.UnpublishedFallbackKey is null)
            {
                Account.ForgetPreviousFallbackKey();
                _accountChanged = true;
            }
            if (now - created > FallbackKeyRotationPeriod)
            {
                _needsFallbackKey = true;
            }
        }
        _metadataChanged = true;
    }

    /// <summary>Registers a <c>/keys/upload</c> when the server lacks something of ours and none is on the way.</summary>
    public void PlanKeysUpload()
    {
        if (_uploadInFlight is not null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var count = _serverOneTimeKeyCount ?? (_deviceKeysUploaded ? null : 0);
        var unpublished = Account.UnpublishedOneTimeKeys.Count;
        // Top up when half are gone, not after every claim: one upload per many claims.
        if (count is { } c && c + unpublished < OlmAccount.MaxServerOneTimeKeys / 2 + 1)
        {
            Account.GenerateOneTimeKeys(OlmAccount.MaxServerOneTimeKeys - c - unpublished, now);
            _accountChanged = true;
        }
        if (_needsFallbackKey && Account.UnpublishedFallbackKey is null)
        {
            Account.GenerateFallbackKey(now);
            _accountChanged = true;
        }

        var (oneTimeKeys, fallbackKeys) = Account.SignedUnpublishedKeys(_userId, _deviceId);
        if (_deviceKeysUploaded && oneTimeKeys.Count == 0 && fallbackKeys.Count == 0)
        {
            return;
        }

        var body = new JsonObject();
        if (!_deviceKeysUploaded)
        {
            body["device_keys"] = Account.DeviceKeys(_userId, _deviceId);
        }

        if (oneTimeKeys.Count > 0)
        {
            body["one_time_keys"] = oneTimeKeys;
        }

        if (fallbackKeys.Count > 0)
        {
            body["fallback_keys"] = fallbackKeys;
        }

        var request = _requests.Register(new KeysUploadRequest(PendingRequests.NewRequestId(), body.ToJsonString()), OnKeysUploaded,
            () => _uploadInFlight = null);
        _uploadInFlight = request.RequestId;
    }

    private void OnKeysUploaded(JsonObject response)
    {
        _uploadInFlight = null;
        Account.MarkKeysAsPublished();
        _accountChanged = true;
        _deviceKeysUploaded = true;
        _needsFallbackKey = false;
        if (response["one_time_key_counts"] is JsonObject counts)
        {
            _serverOneTimeKeyCount = (int)Math.Clamp(JsonRead.Integer(counts[MatrixAlgorithms.SignedCurve25519]) ?? 0, 0, int.MaxValue);
        }
    }

    public void TakeChanges(CryptoChanges changes)
    {
        if (_accountChanged)
        {
            changes.Account = Account.ToStateBytes();
        }

        _accountChanged = _metadataChanged = false;
    }

    public void WriteMetadata(JsonObject metadata)
    {
        metadata["device_keys_uploaded"] = _deviceKeysUploaded;
        metadata["server_one_time_key_count"] = _serverOneTimeKeyCount;
        metadata["needs_fallback_key"] = _needsFallbackKey;
    }

    public void ReadMetadata(JsonObject metadata)
    {
        _deviceKeysUploaded = JsonRead.Boolean(metadata["device_keys_uploaded"]) ?? false;
        _serverOneTimeKeyCount = JsonRead.Integer(metadata["server_one_time_key_count"]) is { } count ? (int)count : null;
        _needsFallbackKey = JsonRead.Boolean(metadata["needs_fallback_key"]) ?? true;
    }
}
