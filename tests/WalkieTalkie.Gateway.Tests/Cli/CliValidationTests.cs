using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Cli;

/// <summary>
/// The admin commands, run as the built <c>walkie</c> process: what they refuse, they refuse with an error and a
/// non-zero exit code, and they change nothing; what they report, they did.
/// </summary>
public sealed class CliValidationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public CliValidationTests()
    {
        _db.Badges.Add("anna", "Anna");
        _db.Badges.Add("ben", "Ben");
        _db.Channels.Add(1, "family");
        _db.Channels.Join(1, "anna");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _db.Dispose();

    private Task<WalkieCli.Result> Walkie(params string[] args) => WalkieCli.RunAsync(_db.Directory, args);

    public static TheoryData<string[]> Refused => new()
    {
        { ["channel", "leave", "1", "ben"] },          // not a member
        { ["channel", "leave", "1", "nobody"] },       // no such badge
        { ["channel", "leave", "7", "anna"] },         // no such channel
        { ["channel", "add", "2", ""] },
        { ["channel", "add", "2", "   "] },
        { ["channel", "add", "2", new string('x', 10 * 1024)] },
        { ["channel", "add", "2", "bell\u0007"] },
        { ["channel", "add", "2", "family"] },         // the name is taken: links find channels by name
        { ["channel", "add", "-1", "minus"] },
        { ["channel", "add", "2", "slow", "--max-talk", "-5"] },
        { ["channel", "add", "2", "odd", "--rate", "11025"] },
        { ["channel", "join", "300", "anna"] },
        { ["channel", "add", "2", "kept", "--retention-days", "-1"] },
        { ["channel", "add", "2", "kept", "--retention-days", "36501"] },
        { ["channel", "retention", "1", "-7"] },
        { ["channel", "retention", "1", "forever"] },
        { ["channel", "retention", "9", "7"] },         // no such channel
        { ["badge", "add", "cara", "--name", ""] },
        { ["badge", "add", "cara", "--name", new string('x', 10 * 1024)] },
        { ["badge", "add", "cara", "--name", "\u001b[31mred"] },
        { ["badge", "add", "Not An Id"] },
        { ["badge", "remove", "nobody"] },
        { ["permit", "grant", "anna", "-1"] },
        { ["permit", "grant", "anna", "1", "--for", "-2h"] },
        { ["permit", "grant", "anna", "1", "--for", "1e300d"] },
        { ["permit", "grant", "anna", "1", "--until", "2001-01-01T00:00:00Z"] },
        { ["permit", "grant", "anna", "1", "--by", ""] },
        { ["permit", "grant", "anna", "1", "--by", new string('x', 10 * 1024)] },
        { ["permit", "revoke", "anna", "1"] },         // nothing to revoke
        { ["status", "--decisions", "-5"] },
        { ["demo", "--port", "-1"] },
        { ["demo", "--port", "70000"] },
        { ["sos", "cancel", "anna"] },                 // no open emergency
        { ["sos", "cancel", "nobody"] },
        { ["sos", "cancel"] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refused_command_says_why_exits_non_zero_and_changes_nothing(string[] args)
    {
        var before = Registry();
        var result = await Walkie(args);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.False(string.IsNullOrWhiteSpace(result.Error), result.ToString());
        Assert.DoesNotContain("Unhandled exception", result.Error);
        Assert.DoesNotContain("   at ", result.Error); // a message, not a stack trace
        Assert.Equal(before, Registry());
    }

    [Fact]
    public async Task Leaving_a_channel_the_badge_is_in_says_left_and_it_left()
    {
        var result = await Walkie("channel", "leave", "1", "anna");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("badge anna left channel 1", result.Output);
        Assert.DoesNotContain("anna", new SqliteRegistryReader(_db.Database).Load().Members(1));
    }

    [Fact]
    public async Task The_not_a_member_error_names_the_badge_and_the_channel()
    {
        var result = await Walkie("channel", "leave", "1", "nobody");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: badge 'nobody' is not a member of channel 1", result.Error);
        Assert.DoesNotContain("left", result.Output);
    }

    [Fact]
    public async Task Names_up_to_64_bytes_are_taken()
    {
        var name = new string('é', 32); // 64 bytes of UTF-8
        Assert.Equal(0, (await Walkie("channel", "add", "2", name)).ExitCode);
        Assert.Equal(0, (await Walkie("badge", "add", "cara", "--name", "Cara 🎧")).ExitCode);
        var registry = new SqliteRegistryReader(_db.Database).Load();
        Assert.Equal(name, registry.Channel(2)!.Name);
        Assert.Equal("Cara 🎧", registry.Badge("cara")!.Name);
        Assert.NotEqual(0, (await Walkie("channel", "add", "3", name + "e")).ExitCode);
    }

    [Fact]
    public async Task Retention_is_set_per_channel_and_listed()
    {
        Assert.Equal(0, (await Walkie("channel", "add", "2", "school", "--retention-days", "7")).ExitCode);
        var set = await Walkie("channel", "retention", "1", "0");
        Assert.Equal(0, set.ExitCode);
        Assert.Contains("channel 1 keeps its recordings for good", set.Output);
        var registry = new SqliteRegistryReader(_db.Database).Load();
        Assert.Equal(0, registry.Channel(1)!.RetentionDays);
        Assert.Equal(7, registry.Channel(2)!.RetentionDays);
        var list = (await Walkie("channel", "list")).Output;
        Assert.Contains("for good", list);
        Assert.Contains("7 d", list);
    }

    [Fact]
    public async Task An_open_emergency_is_listed_shown_in_status_and_cancelled_by_the_admin()
    {
        new SqliteEmergencyStore(_db.Database).Open("anna", DateTimeOffset.Parse("2026-12-05T01:02:03Z").ToUnixTimeMilliseconds());

        var list = await Walkie("sos", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"anna\s+Anna\s+open since 2026-12-05 01:02:03 UTC, channels 1", list.Output);
        var status = await Walkie("status");
        Assert.Contains("EMERGENCIES", status.Output);
        Assert.Matches(@"anna\s+Anna\s+open since", status.Output);

        var cancel = await Walkie("sos", "cancel", "anna");
        Assert.Equal(0, cancel.ExitCode);
        Assert.Contains("emergency of badge anna cancelled", cancel.Output);
        Assert.Empty(new SqliteEmergencyStore(_db.Database).List());
        Assert.Contains("no open emergency", (await Walkie("sos", "list")).Output);
        Assert.DoesNotContain("EMERGENCIES", (await Walkie("status")).Output);
    }

    private string Registry()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var registry = new SqliteRegistryReader(_db.Database).Load();
        return string.Join(";", registry.Badges.Select(b => $"{b.Id}/{b.Name}/{b.Priority}"))
            + "|" + string.Join(";", registry.Channels.Select(c => $"{c.Number}/{c.Name}/{c.SampleRate}/{c.MaxTalkSeconds}/{c.RetentionDays}/" + string.Join(",", registry.Members(c.Number))))
            + "|" + string.Join(";", new SqlitePermitStore(_db.Database).List())
            + "|" + string.Join(";", registry.Emergencies);
    }
}
