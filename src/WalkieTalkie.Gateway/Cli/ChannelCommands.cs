using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie channel add|list|join|leave|end-tone</c>.</summary>
public static class ChannelCommands
{
    public static Command Create(Option<string?> data)
    {
        var channel = new Command("channel", "Channels and their members");
        var number = new Argument<int>("channel") { Description = "Channel number, 0-255" };
        var name = new Argument<string>("name");
        var rate = new Option<int>("--rate") { Description = "Sample rate: 8000 or 16000", DefaultValueFactory = _ => 8000 };
        var maxTalk = new Option<int>("--max-talk") { Description = "Maximum talk seconds per burst", DefaultValueFactory = _ => 30 };
        var add = new Command("add", "Add a channel") { number, name, rate, maxTalk };
        add.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IChannelStore>().Add(p.GetValue(number), p.GetValue(name)!, p.GetValue(rate), p.GetValue(maxTalk));
            Console.WriteLine($"channel {p.GetValue(number)} '{p.GetValue(name)}' added");
        }));

        var list = new Command("list", "List channels and members");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            var registry = services.GetRequiredService<IRegistryReader>().Load();
            Console.WriteLine($"{"ch",3} {"name",-20} {"rate",6} {"max s",5} {"end tone",8} members");
            foreach (var c in registry.Channels.OrderBy(c => c.Number))
            {
                Console.WriteLine($"{c.Number,3} {c.Name,-20} {c.SampleRate,6} {c.MaxTalkSeconds,5} {(c.EndTone ? "on" : "off"),8} {string.Join(' ', registry.Members(c.Number))}");
            }
        }));

        var badge = new Argument<string>("badge");
        var join = new Command("join", "Make a badge a member of a channel") { number, badge };
        join.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IChannelStore>().Join(p.GetValue(number), p.GetValue(badge)!);
            Console.WriteLine($"badge {p.GetValue(badge)} joined channel {p.GetValue(number)}");
        }));

        var leave = new Command("leave", "Remove a badge from a channel (its permits there go too)") { number, badge };
        leave.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IChannelStore>().Leave(p.GetValue(number), p.GetValue(badge)!);
            Console.WriteLine($"badge {p.GetValue(badge)} left channel {p.GetValue(number)}");
        }));

        var onOff = new Argument<string>("on|off").AcceptOnlyFromAmong("on", "off");
        var endTone = new Command("end-tone", "Turn the end-of-burst tone (roger beep) on the channel's listeners on or off") { number, onOff };
        endTone.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IChannelStore>().SetEndTone(p.GetValue(number), p.GetValue(onOff) == "on");
            Console.WriteLine($"channel {p.GetValue(number)} end-of-burst tone {p.GetValue(onOff)}");
        }));

        channel.Add(add);
        channel.Add(list);
        channel.Add(join);
        channel.Add(leave);
        channel.Add(endTone);
        channel.Add(MatrixLinkCommands.ChannelLink(data));
        return channel;
    }
}
