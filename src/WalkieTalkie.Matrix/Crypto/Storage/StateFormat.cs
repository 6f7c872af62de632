namespace WalkieTalkie.Matrix.Crypto.Storage;

/// <summary>What a saved record holds; the first byte of every record.</summary>
internal enum StateKind : byte
{
    OlmAccount = 1,
    OlmSession = 2,
    InboundGroupSession = 3,
    OutboundGroupSession = 4,
    CrossSigningIdentity = 5,
    /// <summary>A key store record that is not a crypto object: machine metadata, sync token, sender info, replay entry.</summary>
    StoreRecord = 6,
}

internal static class StateFormat
{
    /// <summary>The second byte of every record. Bump it, and keep reading the old one, when a layout changes.</summary>
    public const byte Version = 1;
}
