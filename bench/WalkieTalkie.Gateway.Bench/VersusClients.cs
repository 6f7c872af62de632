using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// A child process of the <c>versus</c> mode: badges of its share connect (to the gateway with their secrets, or to a
/// plain broker without, hearing the talker's uplink topic there), report <c>READY n</c>, then obey one command a line
/// on stdin: <c>EXPECT frames</c> (answers <c>OK</c>), <c>COUNT</c> (frames heard by all of them), <c>WAIT ms</c> (answers
/// <c>HEARD n</c> once all of them heard the frames expected, or after <c>ms</c>), <c>REPORT</c> (one
/// <c>ARRIVALS</c> line of timestamps per badge, then <c>END</c>), <c>TALK frames rate [pace]</c> (the first badge talks a
/// burst, <c>pace</c> times faster than real time, 1 if not given; answers <c>SENT</c> and the send timestamps). Timestamps are <see cref="System.Diagnostics.Stopwatch"/>'s,
/// the machine's monotonic clock, so they compare across processes.
/// </summary>
public static class VersusClients
{
    /// <param name="args">broker (gateway or mosquitto), port, secrets file (a line "id secret" per badge), start, count.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var gateway = args[0] == "gateway";
        var port = int.Parse(args[1]);
        var lines = (await File.ReadAllLinesAsync(args[2])).Skip(int.Parse(args[3])).Take(int.Parse(args[4])).Select(l => l.Split(' ')).ToList();
        var badges = new VirtualBadge[lines.Count];
        using (var gate = new SemaphoreSlim(16))
        {
            await Task.WhenAll(lines.Select(async (parts, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    badges[i] = gateway
                        ? await VirtualBadge.ConnectAsync(port, parts[0], parts[1])
                        : await VirtualBadge.ConnectAsync(port, parts[0], null, announce: false, subscribeTo: Topics.UpAudio(FanoutVersus.Talker));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        Console.WriteLine($"READY {badges.Count(b => b.IsConnected)}");
        var expected = 0;
        while (await Console.In.ReadLineAsync() is { } command)
        {
            var parts = command.Split(' ');
            switch (parts[0])
            {
                case "EXPECT":
                    expected = int.Parse(parts[1]);
                    foreach (var badge in badges)
                    {
                        badge.Expect(expected);
                    }

                    Console.WriteLine("OK");
                    break;
                case "COUNT":
                    Console.WriteLine($"COUNT {badges.Sum(b => (long)Volatile.Read(ref b.Received))}");
                    break;
                case "WAIT":
                    // Waits here, in the child, until every badge of it heard the frames expected (or the time is up), so
                    // that the process measured is not the one asking over and over.
                    var until = DateTime.UtcNow.AddMilliseconds(int.Parse(parts[1]));
                    while (badges.Any(b => Volatile.Read(ref b.Received) < expected) && DateTime.UtcNow < until)
                    {
                        await Task.Delay(5);
                    }

                    Console.WriteLine($"HEARD {badges.Sum(b => (long)Volatile.Read(ref b.Received))}");
                    break;
                case "REPORT":
                    foreach (var badge in badges)
                    {
                        Console.WriteLine($"ARRIVALS {string.Join(',', Enumerable.Range(0, expected).Select(badge.Arrival))}");
                    }

                    Console.WriteLine("END");
                    break;
                case "TALK":
                    var sent = await FanoutLatency.TalkAsync(badges[0], int.Parse(parts[2]), int.Parse(parts[1]), askFloor: gateway,
                        pace: parts.Length > 3 ? double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
                    Console.WriteLine($"SENT {string.Join(',', sent)}");
                    break;
            }
        }

        foreach (var badge in badges)
        {
            await badge.DisposeAsync();
        }

        return 0;
    }
}
