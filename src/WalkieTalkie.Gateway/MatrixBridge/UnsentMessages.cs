using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>An outbox entry that waits for a person: stuck (kept, retried on request) or refused by the homeserver.</summary>
/// <param name="Id">The outbox entry's id (what Retry takes).</param>
/// <param name="BadgeId">The badge whose account sends it, or null when no linked badge has that account now.</param>
/// <param name="UserId">The Matrix account.</param>
/// <param name="RoomId">The room.</param>
/// <param name="Stuck">Stuck (true) or refused by the homeserver (false).</param>
/// <param name="IsVoiceMessage">An <c>m.audio</c> message (a burst), not some other event.</param>
/// <param name="Attempts">How often it was tried.</param>
/// <param name="Error">The last failure.</param>
public sealed record UnsentMessage(long Id, string? BadgeId, string UserId, string RoomId, bool Stuck, bool IsVoiceMessage, int Attempts, string? Error);

/// <summary>
/// The bridge's outbox file (<c>{Matrix folder}/outbox.db</c>, every badge's outbox) as a person sees it, from the CLI
/// or the console: the messages that could not be sent, and Retry, which puts one back in its badge's queue. Works
/// whether or not the bridge runs in this process: Retry wakes the running outbox at once (directly in this process,
/// through a watched file beside <c>outbox.db</c> from another), and its idle look (<see cref="OutboxOptions.IdleRecheck"/>,
/// 30 s) is the fallback where the file cannot be watched.
/// </summary>
public static class UnsentMessages
{
    /// <summary>Where the badges' outbox file is.</summary>
    public static string OutboxPath(MatrixBridgeOptions options, string dataDirectory) =>
        Path.Combine(options.ResolveDirectory(dataDirectory), "outbox.db");

    /// <summary>The stuck and refused entries, oldest first (none when there is no outbox file yet).</summary>
    public static async Task<IReadOnlyList<UnsentMessage>> ListAsync(string outboxPath, IMatrixLinkStore links, CancellationToken cancellationToken = default)
    {
        using var file = OutboxFile.OpenExisting(outboxPath);
        if (file is null)
        {
            return [];
        }

        var badges = links.Badges().ToDictionary(l => l.UserId + "|" + l.DeviceId, l => l.BadgeId, StringComparer.Ordinal);
        return (await file.WaitingForAPersonAsync(cancellationToken)).Select(w => new UnsentMessage(
            w.Entry.Id, badges.GetValueOrDefault(w.Owner), w.Owner.Split('|')[0], w.Entry.RoomId, w.Entry.State == OutboxState.Stuck,
            w.Entry.EventType == "m.room.message" && w.Entry.Content["msgtype"]?.GetValue<string>() == "m.audio",
            w.Entry.Attempts, w.Entry.Error)).ToList();
    }

    /// <summary>Puts entry <paramref name="id"/> back in its queue; false when it is not stuck or refused (already retried, sent, or no such entry).</summary>
    public static async Task<bool> RetryAsync(string outboxPath, long id, CancellationToken cancellationToken = default)
    {
        using var file = OutboxFile.OpenExisting(outboxPath);
        return file is not null && await file.RequeueAsync(id, cancellationToken);
    }

    /// <summary>"3 voice messages could not be sent" (or "1 voice message and 2 other messages …"), for a heading.</summary>
    public static string Summary(IReadOnlyCollection<UnsentMessage> messages)
    {
        var voice = messages.Count(m => m.IsVoiceMessage);
        var other = messages.Count - voice;
        var parts = new List<string>();
        if (voice > 0)
        {
            parts.Add($"{voice} voice message{(voice == 1 ? "" : "s")}");
        }

        if (other > 0)
        {
            parts.Add($"{other} other message{(other == 1 ? "" : "s")}");
        }

        return parts.Count == 0 ? "every message was sent" : string.Join(" and ", parts) + " could not be sent";
    }
}
