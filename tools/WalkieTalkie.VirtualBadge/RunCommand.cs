using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spectre.Console;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.VirtualBadge.Cli;

/// <summary>The command line: options, then a run of the fleet they describe.</summary>
internal static class RunCommand
{
    private static readonly Option<string> Broker = new("--broker") { Description = "The MQTT broker as HOST:PORT", DefaultValueFactory = _ => "127.0.0.1:1883" };
    private static readonly Option<string[]> Badges = new("--badge", "-b")
    {
        Description = "A badge: ID[,mic=FILE][,ptt=PRESS-RELEASE;...][,out=FILE][,password=SECRET][,channels=N:RATE+...]. Repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<int> Count = new("--count") { Description = "Add this many silent listening badges (PREFIX001, PREFIX002, ...), for load" };
    private static readonly Option<string> Prefix = new("--prefix") { Description = "Id prefix of the --count badges", DefaultValueFactory = _ => "vb-" };
    private static readonly Option<string[]> Channels = new("--channel", "-c") { Description = "Channel N or N:RATE (8000 or 16000) every badge starts with, until the gateway's config. Repeatable; default 1:8000" };
    private static readonly Option<string?> Ca = new("--ca") { Description = "The site certificate (PEM, from walkie tls show): connect with TLS and trust only it, as a badge does" };
    private static readonly Option<string?> ServerName = new("--server-name") { Description = "The name the broker's certificate must carry (default: the --broker host)" };
    private static readonly Option<string?> Password = new("--password") { Description = "The secret of every badge without its own password=" };
    private static readonly Option<string?> OutDir = new("--out-dir", "-o") { Description = "Write each badge's speaker to DIR/ID.wav (unless out= is given) and its log to DIR/ID.log" };
    private static readonly Option<double?> Duration = new("--duration", "-d") { Description = "Seconds to run once every badge is connected. Default: 5 s after the last scripted release; with --keyboard, until q" };
    private static readonly Option<bool> Keyboard = new("--keyboard", "-k") { Description = "Drive the first badge from the keyboard: space presses/releases push-to-talk, c next channel, a accept a permit, q quit" };
    private static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "No event lines on the console: a progress bar and the summary" };
    private static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Event lines on the console even for many badges (default: up to 4)" };

    public static RootCommand Create()
    {
        var root = new RootCommand("Runs virtual WalkieTalkie badges (the badge's portable code, WAV files as mic and speaker) against an MQTT broker.")
        {
            Broker, Ca, ServerName, Badges, Count, Prefix, Channels, Password, OutDir, Duration, Keyboard, Quiet, Verbose,
        };
        root.SetAction(RunAsync);
        return root;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellation)
    {
        var console = AnsiConsole.Console;
        List<VirtualBadgeSettings> settings;
        try
        {
            settings = Describe(parse);
        }
        catch (VirtualBadgeException e)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }

        var keyboard = parse.GetValue(Keyboard);
        var lastRelease = settings.Max(s => s.Ptt.EndSeconds);
        var seconds = parse.GetValue(Duration) ?? (keyboard ? double.PositiveInfinity : lastRelease + 5);
        var printEvents = !parse.GetValue(Quiet) && (keyboard || settings.Count <= 4 || parse.GetValue(Verbose));
        var gate = new object();
        await using var fleet = new VirtualBadgeFleet
        {
            Log = printEvents ? (_, line) => { lock (gate) { Console.WriteLine(line); } } : null,
        };

        try
        {
            foreach (var badge in settings)
            {
                fleet.Add(badge);
            }
        }
        catch (VirtualBadgeException e)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        fleet.Start();
        var keys = keyboard ? Task.Run(() => ReadKeys(fleet.Badges[0], stop), CancellationToken.None) : Task.CompletedTask;
        var duration = double.IsPositiveInfinity(seconds) ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
        // The scripts, and the duration, count from the moment every badge is connected.
        await fleet.WaitUntilAsync(f => f.ScriptOrigin is not null, fleet.ScriptStartTimeout + TimeSpan.FromSeconds(1), stop.Token);
        if (printEvents)
        {
            if (keyboard)
            {
                console.MarkupLine($"[bold]{Markup.Escape(fleet.Badges[0].Id)}[/]: space = push-to-talk on/off, c = next channel, a = accept permit, q = quit");
            }

            await fleet.WaitAsync(duration, stop.Token);
        }
        else
        {
            await ShowProgressAsync(console, fleet, seconds, stop.Token);
        }

        stop.Cancel();
        FleetSummary summary;
        try
        {
            summary = await fleet.StopAsync();
        }
        catch (VirtualBadgeException e)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }

        await keys;
        SummaryTable.Write(console, summary, perBurst: summary.Badges.Count <= 8);
        return 0;
    }

    private static List<VirtualBadgeSettings> Describe(ParseResult parse)
    {
        var broker = parse.GetValue(Broker)!;
        var colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker[(colon + 1)..], out var port) || port is <= 0 or > 65535)
        {
            throw new VirtualBadgeException($"--broker '{broker}': expected HOST:PORT");
        }

        var host = broker[..colon];
        var channels = (parse.GetValue(Channels) ?? []).Select(VirtualChannel.Parse).ToList();
        if (channels.Count == 0)
        {
            channels.Add(new VirtualChannel(1));
        }

        var outDir = parse.GetValue(OutDir);
        var password = parse.GetValue(Password);
        var anchor = parse.GetValue(Ca) is { } ca ? LoadCertificate(ca) : null;
        var specs = (parse.GetValue(Badges) ?? []).Select(BadgeSpec.Parse).ToList();
        var prefix = parse.GetValue(Prefix)!;
        for (var i = 1; i <= parse.GetValue(Count); i++)
        {
            specs.Add(new BadgeSpec($"{prefix}{i:000}", null, null, null, null, null));
        }

        if (specs.Count == 0)
        {
            throw new VirtualBadgeException("no badge: give --badge ID (and more) or --count N");
        }

        return specs.Select(spec => new VirtualBadgeSettings
        {
            Id = spec.Id,
            Host = host,
            Port = port,
            TrustAnchor = anchor,
            ServerName = parse.GetValue(ServerName),
            Password = spec.Password ?? password,
            Channels = spec.Channels ?? channels,
            MicWav = spec.Mic,
            Ptt = spec.Ptt ?? PttScript.None,
            OutputWav = spec.Out ?? (outDir is null ? null : Path.Combine(outDir, spec.Id + ".wav")),
            LogFile = outDir is null ? null : Path.Combine(outDir, spec.Id + ".log"),
        }).ToList();
    }

    private static X509Certificate2 LoadCertificate(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new VirtualBadgeException($"--ca '{path}': not a readable PEM certificate ({e.Message})");
        }
    }

    private static async Task ShowProgressAsync(IAnsiConsole console, VirtualBadgeFleet fleet, double seconds, CancellationToken cancellation)
    {
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: double.IsPositiveInfinity(seconds) ? 1 : seconds);
                var started = fleet.Clock.Milliseconds;
                while (!cancellation.IsCancellationRequested)
                {
                    var elapsed = (fleet.Clock.Milliseconds - started) / 1000.0;
                    if (elapsed >= seconds)
                    {
                        break;
                    }

                    var modes = fleet.Badges.Select(b => b.Mode).ToList();
                    task.Description = $"{modes.Count(m => m == BadgeMode.Talking)} talking, {modes.Count(m => m == BadgeMode.Receiving)} listening, " +
                        $"{modes.Count(m => m == BadgeMode.Connecting)} connecting, {fleet.Badges.Sum(b => b.FramesSent)} frames sent";
                    task.Value = double.IsPositiveInfinity(seconds) ? 0 : elapsed;
                    try
                    {
                        await Task.Delay(200, cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                task.Value = task.MaxValue;
            });
    }

    private static void ReadKeys(Badge.Simulation.VirtualBadge badge, CancellationTokenSource stop)
    {
        var talking = false;
        while (!stop.IsCancellationRequested)
        {
            if (Console.IsInputRedirected || !Console.KeyAvailable)
            {
                Thread.Sleep(20);
                continue;
            }

            switch (char.ToLowerInvariant(Console.ReadKey(intercept: true).KeyChar))
            {
                case ' ':
                    talking = !talking;
                    badge.SetTalk(talking);
                    Console.WriteLine(talking ? "[push-to-talk held]" : "[push-to-talk released]");
                    break;
                case 'c':
                    badge.ClickChannel();
                    break;
                case 'a':
                    badge.LongPressChannel();
                    break;
                case 'q':
                    stop.Cancel();
                    break;
            }
        }
    }
}
