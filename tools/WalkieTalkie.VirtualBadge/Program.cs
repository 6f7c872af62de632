using System.CommandLine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.VirtualBadge.Cli;

var command = RunCommand.Create();
return await command.Parse(args).InvokeAsync();
