namespace WalkieTalkie.Matrix.Crypto;

/// <summary>Why a crypto operation refused its input. Every parser and decryptor in <c>WalkieTalkie.Matrix.Crypto</c>
/// reports bad input only through <see cref="MatrixCryptoException"/> carrying one of these codes.</summary>
public enum CryptoError
{
    /// <summary>Not valid (unpadded) base64 or base64url.</summary>
    InvalidBase64,
    /// <summary>JSON that cannot be signed or checked: a float, an integer beyond ±(2^53−1), a lone surrogate, a missing field.</summary>
    InvalidJson,
    /// <summary>A message or key whose version byte we do not speak.</summary>
    UnsupportedVersion,
    /// <summary>A message that is truncated, has a missing or oversized field, a key of the wrong length, or a varint that overflows.</summary>
    MalformedMessage,
    /// <summary>The message authentication code does not match: tampered, or encrypted with another key.</summary>
    BadMac,
    /// <summary>The AES-CBC padding was invalid after a good MAC (should not happen for honest peers).</summary>
    BadPadding,
    /// <summary>An Ed25519 signature that does not verify.</summary>
    BadSignature,
    /// <summary>A key of the wrong length, or a public key that cannot be imported.</summary>
    InvalidKey,
    /// <summary>An X25519 agreement with a low-order (non-contributory) key: the shared secret would be all zeros.</summary>
    NonContributoryKey,
    /// <summary>A pre-key message for a one-time or fallback key this account does not hold (already used, or never ours).</summary>
    UnknownOneTimeKey,
    /// <summary>A pre-key message that does not belong to this Olm session.</summary>
    SessionMismatch,
    /// <summary>An Olm message with a new ratchet key before we answered the previous one.</summary>
    UnexpectedRatchetKey,
    /// <summary>An Olm message whose key was already used or dropped (a replay, or older than the kept skipped keys).</summary>
    MessageKeyNotFound,
    /// <summary>An Olm message more than <c>MaxMessageGap</c> (2000) messages ahead of its chain.</summary>
    MessageGapTooLarge,
    /// <summary>A Megolm message index before the first index this inbound session knows.</summary>
    UnknownMessageIndex,
    /// <summary>A Megolm (session id, index) seen before with a different event id.</summary>
    ReplayedMessage,
    /// <summary>An encrypted attachment whose ciphertext does not hash to <c>hashes.sha256</c>.</summary>
    AttachmentHashMismatch,
    /// <summary>Saved state that is truncated, of an unknown version, or fails authentication.</summary>
    CorruptState,
    /// <summary>A decrypted Olm or Megolm payload that fails the spec's sender/recipient/room checks.</summary>
    PayloadCheckFailed,
    /// <summary>No Olm or Megolm session to decrypt or encrypt with (the room key has not arrived, no Olm session to the device).</summary>
    UnknownSession,
    /// <summary>The sender told us (<c>m.room_key.withheld</c>) that it will not share the room key with this device.</summary>
    RoomKeyWithheld,
}

/// <summary>The one exception the crypto core throws for bad input. State is never changed when it is thrown.</summary>
public sealed class MatrixCryptoException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MatrixCryptoException(CryptoError error, string message) : base(message) => Error = error;

    /// <summary>What went wrong, for callers that branch on it.</summary>
    public CryptoError Error { get; }
}
