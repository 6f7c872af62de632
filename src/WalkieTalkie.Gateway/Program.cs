using System.CommandLine;
using WalkieTalkie.Gateway.Cli;

var data = new Option<string?>("--data") { Description = "Data directory (database, recordings, certificate); overrides Gateway:DataDirectory", Recursive = true };
var root = new RootCommand("walkie: the WalkieTalkie gateway and its admin tools") { data };
root.Add(RunCommand.Create(data));
root.Add(BadgeCommands.Create(data));
root.Add(ChannelCommands.Create(data));
root.Add(PermitCommands.Create(data));
root.Add(UserCommands.Create(data));
root.Add(AuditCommand.Create(data));
root.Add(QuietCommands.Create(data));
root.Add(ZoneCommands.Create(data));
root.Add(SosCommands.Create(data));
root.Add(StatusCommand.Create(data));
root.Add(RecordingCommands.Create(data));
root.Add(TlsCommand.Create(data));
root.Add(DemoCommand.Create(data));
// Matrix ids start with @, which response files would claim (walkie channel link ... --granter @dad:example.org).
return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync();
