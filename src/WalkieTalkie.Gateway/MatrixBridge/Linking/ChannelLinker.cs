using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.MatrixBridge.Linking;

/// <summary>What <c>walkie channel link</c> did, and what it could not do with why.</summary>
/// <param name="Link">The saved link.</param>
/// <param name="Done">Steps done, one sentence each.</param>
/// <param name="NotDone">Steps left undone, each with why and what to do.</param>
public sealed record ChannelLinkReport(ChannelRoomLink Link, IReadOnlyList<string> Done, IReadOnlyList<string> NotDone);

/// <summary>
/// <c>walkie channel link</c>: saves the channel's room, then, from the granting account (when the gateway holds
/// its session), joins the room, sends <c>org.matrix.msc4002.channel</c> and sets the room's power levels for the
/// permit (50) and accept (0) types (docs/protocol.md, "Linking"). Each room step is done only when the account
/// has the power for it; what it could not do is reported, never thrown, and the link is saved either way. Given the
/// web walkie's address, it also adds the walkie to the room as a widget (<see cref="WalkieWidget"/>).
/// </summary>
public static class ChannelLinker
{
    /// <summary>Links the channel; returns what was done.</summary>
    /// <param name="stores">The gateway's storage.</param>
    /// <param name="options">The Matrix section.</param>
    /// <param name="dataDirectory">The gateway's data directory.</param>
    /// <param name="channel">The channel's name.</param>
    /// <param name="roomId">The room.</param>
    /// <param name="granter">The account permits are written from; empty for none.</param>
    /// <param name="granterPassword">Its password, to log in once and keep the session; null to use a stored one.</param>
    /// <param name="logger">Log lines.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <param name="walkieUrl">The web walkie's address as room members' clients reach it, to add it as the room's widget; null for none.</param>
    /// <exception cref="RegistryException">No such channel.</exception>
    /// <exception cref="FormatException"><paramref name="walkieUrl"/> is not an absolute http(s) address without a query.</exception>
    public static async Task<ChannelLinkReport> LinkAsync(BridgeStores stores, MatrixBridgeOptions options, string dataDirectory,
        string channel, string roomId, string granter, string? granterPassword, ILogger logger, CancellationToken cancellationToken = default,
        string? walkieUrl = null)
    {
        var widget = walkieUrl is null ? null : WalkieWidget.Content(channel, walkieUrl);
        var record = stores.Channels.List().FirstOrDefault(c => c.Name == channel)
                     ?? throw new RegistryException($"no channel named '{channel}' (walkie channel list)");
        var link = stores.Links.SaveChannel(channel, roomId, granter);
        var done = new List<string> { $"channel {link.Channel} bridged to {link.RoomId} from burst {link.FirstBurstId} on" };
        var notDone = new List<string>();
        var report = new ChannelLinkReport(link, done, notDone);
        if (!options.IsConfigured)
        {
            notDone.Add("the room's channel event and power levels were not sent: Matrix:Homeserver is not set");
            return report;
        }
        if (granter.Length == 0)
        {
            notDone.Add("the room's channel event and power levels were not sent, and permits will not be written: no --granter");
            return report;
        }

        MatrixClient? client;
        try
        {
            client = await GranterAccount.ConnectAsync(stores, options, dataDirectory, granter, granterPassword, register: false, logger, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            notDone.Add($"could not log in as {granter}: {e.Message}; the room was not changed");
            return report;
        }
        if (client is null)
        {
            notDone.Add($"the gateway holds no session of {granter}: pass --granter-password once (or give a linked badge's account); the room was not changed");
            return report;
        }
        using (client)
        {
            try
            {
                await client.JoinRoomAsync(roomId, cancellationToken: cancellationToken);
            }
            catch (MatrixException e) when (e.ErrorCode == MatrixErrorCode.Forbidden)
            {
                notDone.Add($"{granter} could not join {roomId} ({e.Message}): a room admin must invite it and give it power level 100 " +
                            "(Element: Room settings, Roles & Permissions: Admin); then link again");
                return report;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notDone.Add($"{granter} could not join {roomId}: {e.Message}; the room was not changed");
                return report;
            }

            try
            {
                var state = await client.GetRoomStateAsync(roomId, cancellationToken);
                await SendChannelEventAsync(client, record, roomId, granter, Levels(state), done, notDone, cancellationToken);
                var badgeAccounts = stores.Links.BadgesOf(channel).Select(b => b.UserId).Distinct(StringComparer.Ordinal).ToArray();
                await SendPowerLevelsAsync(client, roomId, granter, badgeAccounts, state, done, notDone, cancellationToken);
                await SendWidgetAsync(client, channel, roomId, granter, widget, Levels(state), done, notDone, cancellationToken);
                var current = await client.GetRoomStateAsync(roomId, cancellationToken);
                var after = Levels(current);
                if (!after.MaySendState(granter, WalkieEventTypes.Permit))
                {
                    notDone.Add($"{granter} has power level {after.UserLevel(granter)} in the room, and permits need " +
                                $"{after.RequiredForState(WalkieEventTypes.Permit)}: a room admin must raise it, or the gateway's permits stay out of the room");
                }
                else
                {
                    done.Add($"{granter} (power level {after.UserLevel(granter)}) may write permits (level {after.RequiredForState(WalkieEventTypes.Permit)})");
                }

                await InviteBadgesAsync(client, stores, channel, roomId, current, done, notDone, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notDone.Add($"the room could not be set up as {granter}: {e.Message}");
            }
        }
        return report;
    }

    private static async Task SendChannelEventAsync(MatrixClient client, ChannelRecord record, string roomId, string granter,
        RoomPowerLevels levels, List<string> done, List<string> notDone, CancellationToken ct)
    {
        if (!levels.MaySendState(granter, WalkieEventTypes.Channel))
        {
            notDone.Add($"{WalkieEventTypes.Channel} not sent: {granter} has power level {levels.UserLevel(granter)}, it needs " +
                        $"{levels.RequiredForState(WalkieEventTypes.Channel)}");
            return;
        }
        var channel = new WalkieChannel(record.Name, record.SampleRate, record.MaxTalkSeconds * 1000L);
        var ev = WalkieStateEvents.Channel(channel, granter, DateTimeOffset.UtcNow);
        var eventId = await client.SendStateEventAsync(roomId, ev.Type, ev.Content, ev.StateKey, ct);
        done.Add($"sent {WalkieEventTypes.Channel} ({record.Name}, {record.SampleRate} Hz): {eventId}");
    }

    private static async Task SendWidgetAsync(MatrixClient client, string channel, string roomId, string granter, JsonObject? widget,
        RoomPowerLevels levels, List<string> done, List<string> notDone, CancellationToken ct)
    {
        if (widget is null)
        {
            done.Add("no widget added (no --walkie-url): a room admin can add the web walkie later by linking again with it");
            return;
        }

        if (!levels.MaySendState(granter, WalkieWidget.EventType))
        {
            notDone.Add($"the web walkie widget was not added: {granter} has power level {levels.UserLevel(granter)}, {WalkieWidget.EventType} " +
                        $"needs {levels.RequiredForState(WalkieWidget.EventType)}");
            return;
        }

        var eventId = await client.SendStateEventAsync(roomId, WalkieWidget.EventType, widget, WalkieWidget.WidgetId(channel), ct);
        done.Add($"added the web walkie to the room as widget {WalkieWidget.WidgetId(channel)} ({widget["url"]}): {eventId}");
    }

    private static async Task SendPowerLevelsAsync(MatrixClient client, string roomId, string granter, IReadOnlyCollection<string> badgeAccounts,
        IReadOnlyList<WalkieTalkie.Matrix.Client.Sync.ClientEvent> state, List<string> done, List<string> notDone, CancellationToken ct)
    {
        var current = state.FirstOrDefault(e => e.Type == WalkieEventTypes.PowerLevels && e.StateKey == "");
        var content = current is null ? default : JsonSerializer.SerializeToElement(current.Content);
        var levels = Levels(state);
        JsonObject? wanted;
        try
        {
            wanted = WalkieStateEvents.PowerLevelsForLink(content, badgeAccounts, levels.UserLevel(granter));
        }
        catch (FormatException unreadable)
        {
            notDone.Add($"power levels not set: {unreadable.Message}");
            return;
        }

        if (wanted is null)
        {
            done.Add($"the room's power levels already name {WalkieEventTypes.Permit} and {WalkieEventTypes.Accept}" +
                     (badgeAccounts.Count > 0 ? " and let the badges' SOS ring everyone" : "") + "; kept");
            return;
        }
        var own = levels.UserLevel(granter);
        if (!levels.MaySendState(granter, WalkieEventTypes.PowerLevels) || own < WalkieStateEvents.PermitLevel)
        {
            notDone.Add($"power levels not set ({WalkieEventTypes.Permit} at {WalkieStateEvents.PermitLevel}, {WalkieEventTypes.Accept} at " +
                        $"{WalkieStateEvents.AcceptLevel}): {granter} has power level {own}, changing them needs " +
                        $"{Math.Max(levels.RequiredForState(WalkieEventTypes.PowerLevels), WalkieStateEvents.PermitLevel)}; a room admin must set them, " +
                        $"or give {granter} power level 100 and link again. Until then the badges cannot accept (their accounts need " +
                        $"{levels.RequiredForState(WalkieEventTypes.Accept)}), so the room does not show them listening");
            return;
        }
        var eventId = await client.SendStateEventAsync(roomId, WalkieEventTypes.PowerLevels, wanted, "", ct);
        done.Add($"set the room's power levels: {WalkieEventTypes.Permit} at {WalkieStateEvents.PermitLevel}, {WalkieEventTypes.Accept} at " +
                 $"{WalkieStateEvents.AcceptLevel}{MentionNote(wanted, badgeAccounts)}: {eventId}");
    }

    // The badges whose level now lets their SOS (a room mention) ring every member's client.
    private static string MentionNote(JsonObject wanted, IReadOnlyCollection<string> badgeAccounts)
    {
        var raised = badgeAccounts.Where(a => wanted["users"]?[a] is not null).ToArray();
        return raised.Length == 0 ? "" : $", badge accounts {string.Join(", ", raised)} at the room-mention level (an SOS rings everyone)";
    }

    // Each badge's account must be in the room to send its voice messages and accepts: the granter invites those that
    // are not, and the running gateway's badge devices join when the invite reaches them.
    private static async Task InviteBadgesAsync(MatrixClient client, BridgeStores stores, string channel, string roomId,
        IReadOnlyList<WalkieTalkie.Matrix.Client.Sync.ClientEvent> state, List<string> done, List<string> notDone, CancellationToken ct)
    {
        foreach (var badge in stores.Links.BadgesOf(channel))
        {
            var membership = state.FirstOrDefault(e => e.Type == "m.room.member" && e.StateKey == badge.UserId)?.Content["membership"]?.GetValue<string>();
            if (membership is "join" or "invite")
            {
                done.Add($"badge {badge.BadgeId} ({badge.UserId}) is {(membership == "join" ? "in the room" : "invited")}");
                continue;
            }

            try
            {
                await client.InviteAsync(roomId, badge.UserId, ct);
                done.Add($"invited badge {badge.BadgeId} ({badge.UserId}); the running gateway joins it");
            }
            catch (MatrixException e)
            {
                notDone.Add($"badge {badge.BadgeId} ({badge.UserId}) is not in the room and could not be invited ({e.Message}): a room admin must invite it");
            }
        }
    }

    // Without a power levels event the creator has 100 and everyone else 0 (the spec's defaults).
    internal static RoomPowerLevels Levels(IReadOnlyList<WalkieTalkie.Matrix.Client.Sync.ClientEvent> state)
    {
        var levels = state.FirstOrDefault(e => e.Type == WalkieEventTypes.PowerLevels && e.StateKey == "");
        if (levels is not null)
        {
            return RoomPowerLevels.FromContent(JsonSerializer.SerializeToElement(levels.Content));
        }

        var create = state.FirstOrDefault(e => e.Type == "m.room.create");
        var creator = create?.Content["creator"]?.GetValue<string>() ?? create?.Sender ?? "";
        return RoomPowerLevels.WithoutEvent(creator);
    }
}
