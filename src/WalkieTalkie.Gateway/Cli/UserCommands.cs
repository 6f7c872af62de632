using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Web.Accounts;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// <c>walkie user add|remove|passwd|list</c>: gateway-local web accounts, for people without Matrix. A user is also a
/// device of the registry under its own name: <c>walkie channel join 1 mum</c> and <c>walkie permit grant mum 1</c> as for a badge.
/// </summary>
public static class UserCommands
{
    public static Command Create(Option<string?> data)
    {
        var user = new Command("user", "Web accounts of the gateway (the web walkie without Matrix, and the console)");
        var name = new Argument<string>("user") { Description = "User name: 1-32 of a-z, 0-9, '-' (also its device id)" };
        var role = new Option<string>("--role") { Description = "admin or member", DefaultValueFactory = _ => WebRoles.Member };
        role.AcceptOnlyFromAmong(WebRoles.Admin, WebRoles.Member);
        var password = new Option<string?>("--password") { Description = "The password; read from standard input when absent" };

        var add = new Command("add", "Add a web account (and its device in the registry)") { name, role, password };
        add.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IWebUserStore>().Add(p.GetValue(name)!, PasswordOf(p, password), p.GetValue(role)!);
            Console.WriteLine($"user {p.GetValue(name)} added as {p.GetValue(role)}; its device is '{p.GetValue(name)}' (walkie channel join, walkie permit grant)");
        }));

        var remove = new Command("remove", "Remove a web account, its device, memberships and permits") { name };
        remove.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IWebUserStore>().Remove(p.GetValue(name)!);
            Console.WriteLine($"user {p.GetValue(name)} removed");
        }));

        var passwd = new Command("passwd", "Set a web account's password") { name, password };
        passwd.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IWebUserStore>().SetPassword(p.GetValue(name)!, PasswordOf(p, password));
            Console.WriteLine($"password of {p.GetValue(name)} set");
        }));

        var list = new Command("list", "List web accounts");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            Console.WriteLine($"{"user",-32} role");
            foreach (var u in services.GetRequiredService<IWebUserStore>().List())
            {
                Console.WriteLine($"{u.Name,-32} {u.Role}");
            }
        }));

        user.Add(add);
        user.Add(remove);
        user.Add(passwd);
        user.Add(list);
        return user;
    }

    private static string PasswordOf(ParseResult parse, Option<string?> password) =>
        parse.GetValue(password) ?? Console.In.ReadLine() ?? "";
}
