using System.CommandLine;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie demo</c>: the gateway embedded with a few virtual badges holding a scripted conversation.</summary>
public static class DemoCommand
{
    public static Command Create(Option<string?> data)
    {
        var command = new Command("demo", "Start the gateway embedded with virtual badges talking; writes what each heard to WAV files");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("walkie demo needs the virtual badge host (branch badge), which is not merged yet.");
            return 2;
        });
        return command;
    }
}
