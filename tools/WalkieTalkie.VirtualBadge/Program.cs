using WalkieTalkie.VirtualBadge.Cli;

var command = RunCommand.Create();
return await command.Parse(args).InvokeAsync();
