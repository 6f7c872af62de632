using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

/// <summary>An encrypted attachment the peer uploaded and sent.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Mxc">The <c>mxc://</c> URI of the uploaded ciphertext.</param>
/// <param name="Content">The event content as sent (with the <c>file</c> object: url, key, iv, hashes).</param>
public sealed record SentAttachment(string EventId, string Mxc, JsonObject Content);
