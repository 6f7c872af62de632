using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>A state event the gateway must send, from which account, with a transaction id fixed by what it says.</summary>
/// <param name="SendAs">The account to send from (a badge's own account for an accept; the granting account for a permit).</param>
/// <param name="Type">The event type.</param>
/// <param name="StateKey">The state key.</param>
/// <param name="Content">The content.</param>
/// <param name="TransactionId">
/// Derived from the account, type, key, content, the gateway change it mirrors and the room event it replaces:
/// planning again before the homeserver echoes the event yields the same id, so the outbox sends it once; repairing
/// the same state after someone overwrote it yields a new one, so the outbox does not take it for a duplicate.
/// </param>
public sealed record OutgoingStateEvent(string SendAs, string Type, string StateKey, JsonObject Content, string TransactionId)
{
    internal static OutgoingStateEvent Create(string sendAs, string type, string stateKey, JsonObject content, DateTimeOffset changedAt,
        string? replaces = null)
    {
        var text = string.Join('\n', sendAs, type, stateKey, content.ToJsonString(), changedAt.ToUnixTimeMilliseconds(), replaces ?? "");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new OutgoingStateEvent(sendAs, type, stateKey, content, "wt-state-" + Convert.ToHexStringLower(hash.AsSpan(0, 12)));
    }
}
