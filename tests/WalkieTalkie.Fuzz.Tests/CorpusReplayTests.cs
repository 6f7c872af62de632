using WalkieTalkie.Fuzz;

namespace WalkieTalkie.Fuzz.Tests;

/// <summary>
/// Every seed and corpus file of every fuzz target, through the same harness body afl runs (uninstrumented here):
/// a parser may accept or refuse each one its documented way, never throw anything else.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string FuzzRoot = RepositoryFiles.PathOf("tests/fuzz");

    public static TheoryData<string> Targets() => new(FuzzTargets.Names);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_file_is_accepted_or_refused_without_an_unexpected_exception(string name)
    {
        var target = FuzzTargets.Create(name)!;
        var files = CorpusFiles.Of(FuzzRoot, name).ToList();
        var crashes = new List<string>();
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception exception)
            {
                crashes.Add($"{Path.GetRelativePath(FuzzRoot, file)}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        Assert.NotEmpty(files);
        Assert.True(crashes.Count == 0, $"{crashes.Count} of {files.Count} inputs crashed {name}:\n" + string.Join("\n", crashes));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_committed_seeds_reach_past_the_parser_s_first_checks(string name)
    {
        var target = FuzzTargets.Create(name)!;
        var seeds = Directory.GetFiles(Path.Combine(FuzzRoot, "seeds", name));

        Assert.Contains(seeds, seed => target.Run(File.ReadAllBytes(seed)) == FuzzOutcome.Accepted);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_first_seed_the_encoders_make_today_is_accepted(string name)
    {
        var target = FuzzTargets.Create(name)!;

        Assert.Equal(FuzzOutcome.Accepted, target.Run(target.Seeds().First()));
    }

    [Fact]
    public void Every_corpus_folder_belongs_to_a_target()
    {
        var folders = new[] { "seeds", "corpus" }
            .Select(kind => Path.Combine(FuzzRoot, kind))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Select(Path.GetFileName);

        Assert.All(folders, folder => Assert.Contains(folder, FuzzTargets.Names));
    }
}
