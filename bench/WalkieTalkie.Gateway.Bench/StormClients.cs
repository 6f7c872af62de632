using WalkieTalkie.Tests.Shared;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// A child process of the <c>storm</c> mode: its share of badges (<see cref="StormFleet"/>) connect and keep
/// reconnecting; it says <c>STARTED</c>, then obeys one command a line on stdin: <c>STATUS</c> (answers
/// <c>STATUS connected served</c>), <c>MARK</c> (forgets every badge's last connection, answers <c>MARKED</c>),
/// <c>REPORT</c> (one <c>BADGE</c> line per badge: connected and served timestamps, refused, dropped, lost; then
/// <c>END</c>). It stops its badges when stdin closes.
/// </summary>
public static class StormClients
{
    /// <param name="args">port, secrets file (a line "id secret" per badge), start, count, spread of first attempts (ms), seed.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var badges = (await File.ReadAllLinesAsync(args[1])).Skip(int.Parse(args[2])).Take(int.Parse(args[3]))
            .Select(l => l.Split(' ')).Select(p => (p[0], p[1])).ToList();
        await using var fleet = new StormFleet(int.Parse(args[0]), badges, spreadMilliseconds: int.Parse(args[4]));
        fleet.Start(int.Parse(args[5]));
        Console.WriteLine("STARTED");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command)
            {
                case "STATUS":
                    Console.WriteLine($"STATUS {fleet.Connected} {fleet.Served}");
                    break;
                case "MARK":
                    fleet.Mark();
                    Console.WriteLine("MARKED");
                    break;
                case "REPORT":
                    foreach (var b in fleet.Badges)
                    {
                        Console.WriteLine($"BADGE {b.ConnectedAt} {b.ServedAt} {b.Refused} {b.Dropped} {b.Lost}");
                    }

                    Console.WriteLine("END");
                    break;
            }
        }

        return 0;
    }
}
