using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// <c>walkie badge outbox [retry &lt;id&gt;]</c>: the messages of the badges' Matrix accounts that could not be sent
/// (stuck after repeated failures, or refused by the homeserver), and putting one back in its badge's queue.
/// </summary>
public static class OutboxCommands
{
    public static Command Create(Option<string?> data)
    {
        var outbox = new Command("outbox", "Messages the badges' Matrix accounts could not send (stuck or refused); retry one");
        outbox.SetAction((p, ct) => RunAsync(p, data, async services =>
        {
            var unsent = await UnsentMessages.ListAsync(OutboxPath(services), services.GetRequiredService<BridgeStores>().Links, ct);
            Console.WriteLine(UnsentMessages.Summary(unsent));
            foreach (var m in unsent)
            {
                Console.WriteLine($"  {m.Id,6} {m.BadgeId ?? m.UserId,-20} {(m.Stuck ? "stuck" : "refused"),-8} {(m.IsVoiceMessage ? "voice message" : "message"),-14} " +
                    $"{m.Attempts,3} tries  {m.RoomId}  {m.Error}");
            }

            if (unsent.Any(m => m.Stuck))
            {
                Console.WriteLine("retry one with: walkie badge outbox retry <id>");
            }

            return 0;
        }));

        var id = new Argument<long>("id") { Description = "The entry's id (the first column of walkie badge outbox)" };
        var retry = new Command("retry", "Put a stuck or refused message back in its badge's queue (a running gateway sends it at once)") { id };
        retry.SetAction((p, ct) => RunAsync(p, data, async services =>
        {
            if (!await UnsentMessages.RetryAsync(OutboxPath(services), p.GetValue(id), ct))
            {
                Console.Error.WriteLine($"error: no stuck or refused message {p.GetValue(id)} (see walkie badge outbox)");
                return 1;
            }

            Console.WriteLine($"message {p.GetValue(id)} is queued again");
            return 0;
        }));
        outbox.Add(retry);
        return outbox;
    }

    private static string OutboxPath(IServiceProvider services) => UnsentMessages.OutboxPath(services.Matrix(), services.Gateway().DataDirectory);

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> data, Func<IServiceProvider, Task<int>> action)
    {
        try
        {
            await using var services = CliServices.Open(parse, data);
            return await action(services);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or StorageUnavailableException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
