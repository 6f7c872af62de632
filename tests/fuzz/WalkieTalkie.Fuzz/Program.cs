using SharpFuzz;
using WalkieTalkie.Fuzz;

// scripts/fuzz drives this program; run by hand, `dotnet WalkieTalkie.Fuzz.dll --replay <target> <file>` shows the
// stack trace of a crash.
const string usage = """
    usage: WalkieTalkie.Fuzz <target>                      run under afl-fuzz (input on stdin)
           WalkieTalkie.Fuzz --list                        the targets
           WalkieTalkie.Fuzz --libraries <target>          the assemblies to instrument for a target
           WalkieTalkie.Fuzz --seeds <target> <folder>     write the target's seeds, named by hash
           WalkieTalkie.Fuzz --dictionary <target> <file>  write the target's afl dictionary
           WalkieTalkie.Fuzz --replay <target> <file>...   run files through the target, reporting crashes
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}

if (args[0] == "--list")
{
    foreach (var each in FuzzTargets.Create())
    {
        Console.WriteLine($"{each.Name,-18} {each.Description}");
    }

    return 0;
}

var name = args[0].StartsWith("--", StringComparison.Ordinal) && args.Length > 1 ? args[1] : args[0];
var target = FuzzTargets.Find(name);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{name}'; the targets are: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

switch (args[0])
{
    case "--libraries":
        target.Libraries.ToList().ForEach(Console.WriteLine);
        return 0;
    case "--seeds" when args.Length == 3:
        Console.WriteLine($"{CorpusFiles.Write(args[2], target.Seeds())} new seed(s) in {args[2]}");
        return 0;
    case "--dictionary" when args.Length == 3:
        File.WriteAllLines(args[2], AflDictionary.Lines(target.DictionaryTokens()));
        return 0;
    case "--replay" when args.Length >= 3:
        return Replay.Files(target, args[2..]);
    case var option when option.StartsWith("--", StringComparison.Ordinal):
        Console.Error.WriteLine(usage);
        return 2;
    default:
        // Out of process: a StackOverflow or a hang in the parser does not take afl's fork server down with it.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var input = new MemoryStream();
            stream.CopyTo(input);
            target.Run(input.ToArray());
        });
        return 0;
}
