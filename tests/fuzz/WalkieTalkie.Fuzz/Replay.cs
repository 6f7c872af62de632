namespace WalkieTalkie.Fuzz;

/// <summary>Runs saved inputs through a target outside afl: the way to read a crash's stack trace.</summary>
public static class Replay
{
    /// <summary>Runs each file; prints its outcome or its exception. Returns 1 when any crashed.</summary>
    public static int Files(FuzzTarget target, IEnumerable<string> files)
    {
        var crashed = 0;
        foreach (var file in files)
        {
            try
            {
                Console.WriteLine($"{file}: {target.Run(File.ReadAllBytes(file))}");
            }
            catch (Exception exception)
            {
                crashed++;
                Console.WriteLine($"{file}: CRASH {exception}");
            }
        }

        return crashed == 0 ? 0 : 1;
    }
}
