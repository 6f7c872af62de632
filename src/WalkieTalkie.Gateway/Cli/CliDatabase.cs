using System.CommandLine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>Opens the same database the service uses, found through the same settings (or <c>--data</c>).</summary>
public static class CliDatabase
{
    public static SqliteDatabase Open(ParseResult parse, Option<string?> data)
    {
        var (gateway, _, _) = WalkieConfiguration.Bind(WalkieConfiguration.Build([], parse.GetValue(data)));
        return new SqliteDatabase(gateway.ResolveDatabasePath());
    }

    /// <summary>Runs an admin action; a registry error is printed plainly and exits with 1.</summary>
    public static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (RegistryException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
