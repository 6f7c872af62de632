namespace WalkieTalkie.Matrix.Crypto.Olm;

/// <summary>A session created from a pre-key message, and that message's plaintext.</summary>
public sealed record InboundSessionResult(OlmSession Session, byte[] Plaintext);
