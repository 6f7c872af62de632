using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.State;

/// <summary>A local user: password, devices, cross-signing keys, account data and filters.</summary>
internal sealed class Account(string userId, string password)
{
    public string UserId { get; } = userId;
    public string Password { get; set; } = password;
    public string? DisplayName { get; set; }

    /// <summary>The presence the user last set (<c>online</c>, <c>unavailable</c>, <c>offline</c>).</summary>
    public string Presence { get; set; } = "offline";
    public Dictionary<string, Device> Devices { get; } = new();

    public JsonObject? MasterKey { get; set; }
    public JsonObject? SelfSigningKey { get; set; }
    public JsonObject? UserSigningKey { get; set; }

    /// <summary>Signatures other users made on this user's master key with their user-signing key: Synapse shows
    /// each only to the user who made it.</summary>
    public Dictionary<string, JsonObject> MasterKeySignaturesBySigner { get; } = new();

    /// <summary>Global account data: type to (content, stream position of the last change).</summary>
    public Dictionary<string, (JsonObject Content, long Position)> AccountData { get; } = new();

    /// <summary>Per-room account data (e.g. <c>m.fully_read</c>): (room, type) to (content, stream position).</summary>
    public Dictionary<(string RoomId, string Type), (JsonObject Content, long Position)> RoomAccountData { get; } = new();

    public List<JsonObject> Filters { get; } = new();
}
