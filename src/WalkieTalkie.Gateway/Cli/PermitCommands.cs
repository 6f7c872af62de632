using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie permit grant|revoke|list</c>: offers (and takes back) MSC4002 permits.</summary>
public static class PermitCommands
{
    public static Command Create(Option<string?> data)
    {
        var permit = new Command("permit", "Offer, revoke and list permits (a badge must accept an offer)");
        var badge = new Argument<string>("badge");
        var channel = new Argument<int>("channel") { Description = "Channel number, 0-255" }.InRange(0, 255);
        var receive = new Option<bool>("--receive") { Description = "The receive permit (default: receive and send)" };
        var send = new Option<bool>("--send") { Description = "The send permit (default: receive and send)" };
        var duration = new Option<string?>("--for") { Description = "Time-limited: 90s, 30m, 2h, 7d (default: for good)" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Time-limited until an ISO 8601 time" };
        var by = new Option<string>("--by") { Description = "Who offers (shown on the badge)", DefaultValueFactory = _ => "admin" };
        var accepted = new Option<bool>("--accepted") { Description = "Accept on the badge's behalf (an admin or parent, where allowed)" };

        // Or a Matrix device (a parent's phone): its permit goes into the channel's room (DevicePermitCommand).
        var device = DevicePermitCommand.DeviceOption();
        var badgeOrChannel = DevicePermitCommand.FirstArgument();
        var channelAfterBadge = DevicePermitCommand.SecondArgument();
        DateTimeOffset? End(ParseResult p) => p.GetValue(until) ?? (p.GetValue(duration) is { } d ? DateTimeOffset.UtcNow + ParseDuration(d) : null);
        var grant = new Command("grant", "Offer a permit to a badge on a channel, or give a Matrix device (--device) its permit in the channel's room")
            { badgeOrChannel, channelAfterBadge, receive, send, duration, until, by, accepted, device };
        grant.SetAction((p, ct) => p.GetValue(device) is { } phone
            ? DevicePermitCommand.RunAsync(p, data, phone, p.GetValue(badgeOrChannel), p.GetValue(channelAfterBadge), Bits(p.GetValue(receive), p.GetValue(send)),
                End(p), ct)
            : Task.FromResult(CliServices.Run(p, data, services =>
        {
            var bits = Bits(p.GetValue(receive), p.GetValue(send));
            var end = End(p);
            var (badgeId, number) = DevicePermitCommand.BadgeAndChannel(p.GetValue(badgeOrChannel), p.GetValue(channelAfterBadge));
            services.GetRequiredService<PermitAdministration>().Grant(AdminActor.OfCli(), badgeId, number, bits, end, p.GetValue(by)!, p.GetValue(accepted));
            Console.WriteLine($"offered {Describe(bits)} on channel {number} to {badgeId} " +
                $"{(end is null ? "for good" : "until " + end.Value.ToString("u"))}{(p.GetValue(accepted) ? ", accepted" : "; the badge must accept")}");
        })));

        var revoke = new Command("revoke", "Take back a badge's permit on a channel, or a Matrix device's (--device) in the channel's room")
            { badgeOrChannel, channelAfterBadge, receive, send, device };
        revoke.SetAction((p, ct) => p.GetValue(device) is { } phone
            ? DevicePermitCommand.RunAsync(p, data, phone, p.GetValue(badgeOrChannel), p.GetValue(channelAfterBadge), 0, null, ct)
            : Task.FromResult(CliServices.Run(p, data, services =>
        {
            var bits = Bits(p.GetValue(receive), p.GetValue(send));
            var (badgeId, number) = DevicePermitCommand.BadgeAndChannel(p.GetValue(badgeOrChannel), p.GetValue(channelAfterBadge));
            services.GetRequiredService<PermitAdministration>().Revoke(AdminActor.OfCli(), badgeId, number, bits);
            Console.WriteLine($"revoked {Describe(bits)} on channel {number} from {badgeId}");
        })));

        var accept = new Command("accept", "Accept an offered permit on the badge's behalf (an admin or parent, where allowed)")
        {
            badge, channel, receive, send,
        };
        accept.SetAction(p => CliServices.Run(p, data, services =>
        {
            var bits = Bits(p.GetValue(receive), p.GetValue(send));
            var held = services.GetRequiredService<PermitAdministration>().Accept(AdminActor.OfCli(), p.GetValue(badge)!, p.GetValue(channel), bits);
            Console.WriteLine($"{p.GetValue(badge)} now holds {Describe(held)} on channel {p.GetValue(channel)}");
        }));

        var list = new Command("list", "List permits");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            var now = DateTimeOffset.UtcNow;
            Console.WriteLine($"{"badge",-20} {"ch",3} {"offered",-14} {"accepted",-14} {"until",-22} by");
            foreach (var r in services.GetRequiredService<PermitAdministration>().List())
            {
                var untilText = r.Until == 0 ? "for good" : DateTimeOffset.FromUnixTimeSeconds(r.Until).ToString("u") + (r.IsExpired(now) ? " (expired)" : "");
                Console.WriteLine($"{r.BadgeId,-20} {r.Channel,3} {Describe(r.Offered),-14} {Describe(r.Accepted),-14} {untilText,-22} {r.OfferedBy}");
            }
        }));

        permit.Add(grant);
        permit.Add(accept);
        permit.Add(revoke);
        permit.Add(list);
        return permit;
    }

    private static byte Bits(bool receive, bool send) =>
        !receive && !send ? PermitBits.Known : (byte)((receive ? PermitBits.Receive : 0) | (send ? PermitBits.Send : 0));

    private static string Describe(byte bits) => PermitAdministration.Describe(bits);

    /// <summary>The longest permit a duration gives: beyond it, grant one for good.</summary>
    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36500);

    /// <summary>Parses 90s, 30m, 2h, 7d, or a TimeSpan (01:30:00), up to 100 years.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
            && double.IsFinite(n))
        {
            var seconds = text[^1] switch
            {
                's' => n,
                'm' => n * 60,
                'h' => n * 3600,
                'd' => n * 86400,
                _ => double.NaN,
            };
            if (seconds > LongestDuration.TotalSeconds)
            {
                throw new RegistryException($"'{text}' is longer than 100 years: grant the permit for good instead");
            }

            if (!double.IsNaN(seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero && span <= LongestDuration)
        {
            return span;
        }

        throw new RegistryException($"'{text}' is not a duration: use 90s, 30m, 2h, 7d");
    }
}
