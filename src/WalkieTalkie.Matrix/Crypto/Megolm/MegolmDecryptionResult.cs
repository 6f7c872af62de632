namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>A decrypted Megolm message: the plaintext (the JSON of the room event) and its index.</summary>
public sealed record MegolmDecryptionResult(byte[] Plaintext, uint MessageIndex);
