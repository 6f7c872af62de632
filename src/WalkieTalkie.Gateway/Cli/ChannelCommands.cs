using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie channel add|list|rename|rate|max-talk|join|leave|end-tone|retention</c>.</summary>
public static class ChannelCommands
{
    public static Command Create(Option<string?> data)
    {
        var channel = new Command("channel", "Channels and their members");
        var number = new Argument<int>("channel") { Description = "Channel number, 0-255" }.InRange(0, 255);
        var name = new Argument<string>("name") { Description = "What badges show: 1-64 bytes, no control characters; unique" };
        var rate = new Option<int>("--rate") { Description = "Sample rate: 8000 or 16000", DefaultValueFactory = _ => 8000 }.AcceptOnlyFromAmong("8000", "16000");
        var maxTalk = new Option<int>("--max-talk") { Description = "Maximum talk seconds per burst, 1-65535", DefaultValueFactory = _ => 30 }.InRange(1, ushort.MaxValue);
        var retentionDays = new Option<int>("--retention-days")
        {
            Description = "Days its recordings are kept, 1-36500, or 0 for good",
            DefaultValueFactory = _ => ChannelRecord.DefaultRetentionDays,
        }.InRange(0, ChannelRecord.MaxRetentionDays);
        var add = new Command("add", "Add a channel") { number, name, rate, maxTalk, retentionDays };
        add.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().Add(AdminActor.OfCli(), p.GetValue(number), p.GetValue(name)!, p.GetValue(rate), p.GetValue(maxTalk),
                p.GetValue(retentionDays));
            Console.WriteLine($"channel {p.GetValue(number)} '{p.GetValue(name)}' added");
        }));

        var list = new Command("list", "List channels and members");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            var registry = services.GetRequiredService<IRegistryReader>().Load();
            Console.WriteLine($"{"ch",3} {"name",-20} {"rate",6} {"max s",5} {"end tone",8} {"kept",8} members");
            foreach (var c in registry.Channels.OrderBy(c => c.Number))
            {
                var kept = c.RetentionDays == 0 ? "for good" : c.RetentionDays + " d";
                Console.WriteLine($"{c.Number,3} {c.Name,-20} {c.SampleRate,6} {c.MaxTalkSeconds,5} {(c.EndTone ? "on" : "off"),8} {kept,8} {string.Join(' ', registry.Members(c.Number))}");
            }
        }));

        var badge = new Argument<string>("badge");
        var join = new Command("join", "Make a badge a member of a channel") { number, badge };
        join.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().Join(AdminActor.OfCli(), p.GetValue(number), p.GetValue(badge)!);
            Console.WriteLine($"badge {p.GetValue(badge)} joined channel {p.GetValue(number)}");
        }));

        var leave = new Command("leave", "Remove a badge from a channel (its permits there go too)") { number, badge };
        leave.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().Leave(AdminActor.OfCli(), p.GetValue(number), p.GetValue(badge)!);
            Console.WriteLine($"badge {p.GetValue(badge)} left channel {p.GetValue(number)}");
        }));

        var onOff = new Argument<string>("on|off").AcceptOnlyFromAmong("on", "off");
        var endTone = new Command("end-tone", "Turn the end-of-burst tone (roger beep) on the channel's listeners on or off") { number, onOff };
        endTone.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().SetEndTone(AdminActor.OfCli(), p.GetValue(number), p.GetValue(onOff) == "on");
            Console.WriteLine($"channel {p.GetValue(number)} end-of-burst tone {p.GetValue(onOff)}");
        }));

        var days = new Argument<int>("days") { Description = "Days its recordings are kept, 1-36500, or 0 for good" }.InRange(0, ChannelRecord.MaxRetentionDays);
        var retention = new Command("retention", "Set how long a channel's recordings are kept (older ones are deleted within the hour)") { number, days };
        retention.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().SetRetention(AdminActor.OfCli(), p.GetValue(number), p.GetValue(days));
            Console.WriteLine($"channel {p.GetValue(number)} keeps its recordings {(p.GetValue(days) == 0 ? "for good" : p.GetValue(days) + " days")}");
        }));

        var newName = new Argument<string>("name") { Description = "What badges show: 1-64 bytes, no control characters; unique" };
        var rename = new Command("rename", "Rename a channel (link its Matrix room again: links find channels by name)") { number, newName };
        rename.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().Rename(AdminActor.OfCli(), p.GetValue(number), p.GetValue(newName)!);
            Console.WriteLine($"channel {p.GetValue(number)} renamed '{p.GetValue(newName)}'");
        }));

        var newRate = new Argument<int>("rate") { Description = "Sample rate: 8000 or 16000" }.AcceptOnlyFromAmong("8000", "16000");
        var setRate = new Command("rate", "Set a channel's sample rate (badges take it with their next configuration)") { number, newRate };
        setRate.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().SetSampleRate(AdminActor.OfCli(), p.GetValue(number), p.GetValue(newRate));
            Console.WriteLine($"channel {p.GetValue(number)} rate {p.GetValue(newRate)} Hz");
        }));

        var seconds = new Argument<int>("seconds") { Description = "Maximum talk seconds per burst, 1-65535" }.InRange(1, ushort.MaxValue);
        var setMaxTalk = new Command("max-talk", "Set a channel's maximum talk time per burst") { number, seconds };
        setMaxTalk.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<ChannelAdministration>().SetMaxTalkSeconds(AdminActor.OfCli(), p.GetValue(number), p.GetValue(seconds));
            Console.WriteLine($"channel {p.GetValue(number)} max talk {p.GetValue(seconds)} s");
        }));

        channel.Add(add);
        channel.Add(rename);
        channel.Add(setRate);
        channel.Add(setMaxTalk);
        channel.Add(retention);
        channel.Add(list);
        channel.Add(join);
        channel.Add(leave);
        channel.Add(endTone);
        channel.Add(MatrixLinkCommands.ChannelLink(data));
        return channel;
    }
}
