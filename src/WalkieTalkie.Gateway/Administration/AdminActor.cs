namespace WalkieTalkie.Gateway.Administration;

/// <summary>Who makes a change and through what: a web account through the console, or the operating-system user through the CLI.</summary>
public sealed record AdminActor(string Name, string Via)
{
    public const string Cli = "cli";
    public const string Console = "console";

    /// <summary>The CLI's user: whoever runs <c>walkie</c> on the gateway's machine.</summary>
    public static AdminActor OfCli() => new(Environment.UserName, Cli);

    public static AdminActor OfConsole(string accountName) => new(accountName, Console);
}
