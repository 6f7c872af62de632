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
    foreach (var each in FuzzTargets.Names)
    {
        Console.WriteLine($"{each,-18} {FuzzTargets.Create(each)!.Description}");
    }

    return 0;
}

var name = args[0].StartsWith("--", StringComparison.Ordinal) && args.Length > 1 ? args[1] : args[0];
if (!FuzzTargets.Names.Contains(name))
{
    Console.Error.WriteLine($"unknown target '{name}'; the targets are: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

if (!args[0].StartsWith("--", StringComparison.Ordinal))
{
    // Out of process: a StackOverflow or a hang in the parser does not take afl's fork server down with it. The
    // target is made inside the loop, once SharpFuzz has set up afl's shared memory.
    FuzzTarget? fuzzed = null;
    Fuzzer.OutOfProcess.Run(stream =>
    {
        fuzzed ??= FuzzTargets.Create(name)!;
        using var input = new MemoryStream();
        stream.CopyTo(input);
        fuzzed.Run(input.ToArray());
    });
    return 0;
}

var target = FuzzTargets.Create(name)!;
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
    default:
        Console.Error.WriteLine(usage);
        return 2;
}
