using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>A user's cross-signing public keys from <c>/keys/query</c>, kept only after the checks: the master key
/// object is well formed, and the self-signing (and user-signing) key is signed by it.</summary>
/// <param name="UserId">The user.</param>
/// <param name="MasterKey">The master public key (trusted on first use).</param>
/// <param name="SelfSigningKey">The self-signing public key, if valid.</param>
/// <param name="UserSigningKey">The user-signing public key, if valid (only for our own user).</param>
/// <param name="MasterKeyObject">The master key object as received.</param>
public sealed record UserIdentity(string UserId, string MasterKey, string? SelfSigningKey, string? UserSigningKey, JsonObject MasterKeyObject);
