using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Mirroring;

namespace WalkieTalkie.Bridge.Events;

/// <summary>The MSC4002 state events ready for the outbox, and the power levels a linked room needs.</summary>
public static class WalkieStateEvents
{
    /// <summary>The level a permit needs in a room the gateway links (docs/protocol.md).</summary>
    public const long PermitLevel = 50;

    /// <summary>
    /// The level an accept needs: 0, so that a device's own user (a badge account, a phone's user) can consent.
    /// Who may send an accept for whom is the receivers' rule (sender = the key's user), not the homeserver's.
    /// </summary>
    public const long AcceptLevel = 0;

    /// <summary>The spec's default for <c>notifications.room</c>: the level a sender needs for a room mention to notify.</summary>
    public const long RoomMentionLevel = 50;

    /// <summary>The channel event (state key ""), sent by an account with the level for it.</summary>
    public static OutgoingStateEvent Channel(WalkieChannel channel, string sendAs, DateTimeOffset changedAt) =>
        OutgoingStateEvent.Create(sendAs, WalkieEventTypes.Channel, "", channel.ToContent(), changedAt);

    /// <summary>An accept, sent from the device's own account.</summary>
    public static OutgoingStateEvent Accept(WalkieAccept accept, DateTimeOffset changedAt) =>
        OutgoingStateEvent.Create(accept.Device.UserId, WalkieEventTypes.Accept, accept.Device.StateKey, accept.ToContent(), changedAt);

    /// <summary>A permit, sent from an account with the power to grant.</summary>
    public static OutgoingStateEvent Permit(WalkiePermit permit, string granterUserId, DateTimeOffset changedAt) =>
        OutgoingStateEvent.Create(granterUserId, WalkieEventTypes.Permit, permit.Device.StateKey, permit.ToContent(), changedAt);

    /// <summary>
    /// The <c>m.room.power_levels</c> content a linked room needs, from its current content: the permit type at
    /// <see cref="PermitLevel"/> and the accept type at <see cref="AcceptLevel"/>, everything else kept. Null when
    /// the room already has them (nothing to send). Levels a room admin set for these types are kept.
    /// </summary>
    /// <exception cref="FormatException">The current content repeats a key or holds text that is not valid UTF-16: it
    /// cannot be rewritten faithfully, and a room admin must mend it.</exception>
    public static JsonObject? PowerLevelsForLink(JsonElement currentContent) => PowerLevelsForLink(currentContent, [], 0);

    /// <summary>
    /// As <see cref="PowerLevelsForLink(JsonElement)"/>, and each badge account raised to the room's
    /// <c>notifications.room</c> level (50 by default) when the granter's own level reaches it: an SOS is a room mention,
    /// and clients ring every member for one only when its sender has that level. The accounts are the gateway's own
    /// (as the granter is), so it gives them nothing it does not hold already. A level is only ever raised.
    /// </summary>
    /// <exception cref="FormatException">As <see cref="PowerLevelsForLink(JsonElement)"/>.</exception>
    public static JsonObject? PowerLevelsForLink(JsonElement currentContent, IReadOnlyCollection<string> badgeAccounts, long granterLevel)
    {
        var content = currentContent.ValueKind == JsonValueKind.Object ? CopyOf(currentContent) : new JsonObject();
        if (content["events"] is not JsonObject events)
        {
            events = new JsonObject();
            content["events"] = events;
        }
        var changed = false;
        if (!events.ContainsKey(WalkieEventTypes.Permit)) { events[WalkieEventTypes.Permit] = PermitLevel; changed = true; }
        if (!events.ContainsKey(WalkieEventTypes.Accept)) { events[WalkieEventTypes.Accept] = AcceptLevel; changed = true; }
        var mentionLevel = LevelIn((content["notifications"] as JsonObject)?["room"], RoomMentionLevel);
        if (badgeAccounts.Count > 0 && mentionLevel <= granterLevel)
        {
            if (content["users"] is not JsonObject users)
            {
                users = new JsonObject();
                content["users"] = users;
            }
            var usersDefault = LevelIn(content["users_default"], 0);
            foreach (var account in badgeAccounts)
            {
                if (LevelIn(users[account], usersDefault) < mentionLevel)
                {
                    users[account] = mentionLevel;
                    changed = true;
                }
            }
        }
        return changed ? content : null;
    }

    // Levels are integers; rooms made before v10 may hold them as strings.
    private static long LevelIn(JsonNode? node, long fallback) =>
        node is JsonValue value && (value.TryGetValue<long>(out var number)
            || value.TryGetValue<string>(out var text) && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out number))
            ? number
            : fallback;

    private static JsonObject CopyOf(JsonElement content)
    {
        if (!JsonText.IsValid(content))
        {
            throw new FormatException("the room's power levels hold text that is not valid UTF-16 (an escaped lone surrogate); a room admin must mend them");
        }

        try
        {
            return JsonNode.Parse(content.GetRawText(), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!.AsObject();
        }
        catch (JsonException)
        {
            throw new FormatException("the room's power levels repeat a key, so which level counts is unclear; a room admin must mend them");
        }
    }
}
