using WalkieTalkie.NanoGate;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: WalkieTalkie.NanoGate <assembly.dll> [more.dll ...]");
    return 2;
}

var failed = false;
foreach (var path in args)
{
    var violations = MetadataGate.Check(path);
    if (violations.Count == 0)
    {
        Console.WriteLine($"nanoFramework gate: {Path.GetFileName(path)} passes (no generics, no multi-dimensional arrays).");
        continue;
    }

    failed = true;
    Console.Error.WriteLine($"nanoFramework gate: {Path.GetFileName(path)} uses what nanoFramework 1.x cannot run:");
    foreach (var violation in violations)
    {
        Console.Error.WriteLine($"  {violation}");
    }
}

return failed ? 1 : 0;
