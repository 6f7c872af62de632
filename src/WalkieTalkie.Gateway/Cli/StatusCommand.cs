using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// <c>walkie status</c>: open emergencies, messages the badges' Matrix accounts could not send, channels and floor holders, badge states (with their quiet state and what
/// waits for them), zones (where on), recent floor decisions, recent recordings.
/// </summary>
public static class StatusCommand
{
    public static Command Create(Option<string?> data)
    {
        var count = new Option<int>("--decisions") { Description = "How many recent floor decisions, 0-1000", DefaultValueFactory = _ => 15 }.InRange(0, 1000);
        var command = new Command("status", "Channels, floor holders, badge states and recent floor decisions") { count };
        command.SetAction(p => CliServices.Run(p, data, services =>
        {
            var registry = services.GetRequiredService<IRegistryReader>().Load();
            var status = services.GetRequiredService<IStatusStore>();
            var holders = status.Holders().ToDictionary(h => h.Channel);
            if (registry.Emergencies.Count > 0)
            {
                Console.WriteLine("EMERGENCIES (walkie sos cancel <badge>)");
                foreach (var e in registry.Emergencies)
                {
                    Console.WriteLine(SosCommands.Describe(registry, e));
                }
            }

            WriteUnsent(services);
            Console.WriteLine("CHANNELS");
            foreach (var c in registry.Channels.OrderBy(c => c.Number))
            {
                var holder = holders.TryGetValue(c.Number, out var h)
                    ? $"talking: {h.BadgeId} (burst {h.BurstId}, {(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - h.SinceMs) / 1000.0:F1} s)"
                    : "free";
                Console.WriteLine($"  {c.Number,3} {c.Name,-20} {c.SampleRate,5} Hz  {registry.Members(c.Number).Count,3} members  {holder}");
            }

            Console.WriteLine("BADGES");
            var presence = status.Presence().ToDictionary(x => x.BadgeId);
            var unplayed = services.GetRequiredService<IUnplayedStore>();
            foreach (var b in registry.Badges.OrderBy(b => b.Id))
            {
                var state = presence.TryGetValue(b.Id, out var s)
                    ? $"{s.State}{(s.UntilSeconds > 0 ? " until " + DateTimeOffset.FromUnixTimeSeconds(s.UntilSeconds).ToString("HH:mm:ss") : "")}, " +
                      $"seen {DateTimeOffset.FromUnixTimeMilliseconds(s.LastSeenMs):HH:mm:ss}, battery {(s.BatteryPercent == 255 ? "?" : s.BatteryPercent + "%")}, rssi {s.Rssi}"
                    : "never seen";
                Console.WriteLine($"  {b.Id,-20} {(b.Priority ? "priority " : "")}{state}{QuietText(registry, b.Id, DateTimeOffset.UtcNow)}, " +
                    $"{unplayed.List(b.Id).Count} waiting");
            }

            if (services.Gateway().Zones)
            {
                Console.WriteLine("ZONES");
                foreach (var l in services.GetRequiredService<IZoneStore>().Locations())
                {
                    Console.WriteLine($"  {l.BadgeId,-20} {(l.Zone == "" ? "no zone" : l.Zone),-20} ap {l.Bssid}, rssi {l.Rssi}, " +
                        $"at {DateTimeOffset.FromUnixTimeMilliseconds(l.AtMs):HH:mm:ss}");
                }
            }

            Console.WriteLine("RECENT FLOOR DECISIONS");
            foreach (var d in status.RecentDecisions(p.GetValue(count)))
            {
                Console.WriteLine($"  {DateTimeOffset.FromUnixTimeMilliseconds(d.AtMs):HH:mm:ss.fff} ch {d.Channel,3} {d.BadgeId,-20} {d.Decision,-8} {d.Reason} {(d.BurstId == 0 ? "" : "burst " + d.BurstId)}");
            }

            Console.WriteLine("RECENT RECORDINGS");
            foreach (var r in services.GetRequiredService<IRecordingIndex>().Recent(5))
            {
                Console.WriteLine($"  burst {r.BurstId} ch {r.Channel} {r.BadgeId} {r.DurationMs} ms, {r.FramesReceived} frames, {r.FramesLost} lost, " +
                    $"{(r.Complete ? "complete" : "INCOMPLETE")}  {(File.Exists(r.Path) ? r.Path : "(deleted)")}");
            }
        }));
        return command;
    }

    // The badges' outbox file is the bridge's (owner-only): a status run by someone who cannot read it says so and goes on.
    private static void WriteUnsent(IServiceProvider services)
    {
        IReadOnlyList<UnsentMessage> unsent;
        try
        {
            unsent = UnsentMessages.ListAsync(UnsentMessages.OutboxPath(services.Matrix(), services.Gateway().DataDirectory),
                services.GetRequiredService<BridgeStores>().Links).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            Console.WriteLine($"MATRIX: the badges' outbox could not be read ({e.Message})");
            return;
        }

        if (unsent.Count == 0)
        {
            return;
        }

        Console.WriteLine($"MATRIX: {UnsentMessages.Summary(unsent)} (walkie badge outbox)");
        foreach (var badge in unsent.GroupBy(m => m.BadgeId ?? m.UserId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {badge.Key,-20} {badge.Count(m => m.Stuck)} stuck, {badge.Count(m => !m.Stuck)} refused");
        }
    }

    /// <summary>", quiet: do-not-disturb, quiet hours on ch 1,2" for a badge that plays nothing now, else nothing.</summary>
    private static string QuietText(RegistrySnapshot registry, string badgeId, DateTimeOffset now)
    {
        var reasons = new List<string>();
        if (registry.Quiet.DoNotDisturb.Contains(badgeId))
        {
            reasons.Add("do-not-disturb");
        }

        var hours = registry.ChannelsOf(badgeId).Where(c => registry.Quiet.InQuietHours(badgeId, c, now)).Order().ToList();
        if (hours.Count > 0)
        {
            reasons.Add("quiet hours on ch " + string.Join(",", hours));
        }

        return reasons.Count == 0 ? "" : ", quiet: " + string.Join(", ", reasons);
    }
}
