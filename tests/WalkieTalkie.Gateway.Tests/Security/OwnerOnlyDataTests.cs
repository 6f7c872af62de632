using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Playback;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Security;

/// <summary>Tests that set the process's umask: they run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UmaskCollection
{
    public const string Name = "umask";
}

/// <summary>
/// The data folder holds children's voices: the gateway and the CLI keep it owner-only (folders 0700, files 0600)
/// whatever the umask, and tighten a folder an earlier version left readable to every local user.
/// </summary>
[Collection(UmaskCollection.Name)]
public sealed class OwnerOnlyDataTests
{
    private static void AssertOwnerOnly(string folder)
    {
        Assert.Equal(OwnerOnly.FolderMode, FileModes.Of(folder));
        var entries = Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(entries);
        var lax = entries
            .Select(e => (Entry: Path.GetRelativePath(folder, e), Mode: FileModes.Of(e), Expected: Directory.Exists(e) ? OwnerOnly.FolderMode : OwnerOnly.FileMode))
            .Where(e => e.Mode != e.Expected)
            .Select(e => $"{e.Entry}: {Convert.ToString((int)e.Mode, 8)}")
            .ToList();
        Assert.True(lax.Count == 0, "not owner-only: " + string.Join(", ", lax));
    }

    [Fact]
    public async Task What_a_running_gateway_keeps_is_owner_only_under_umask_000_and_an_old_readable_folder_is_tightened()
    {
        var previous = FileModes.SetUmask(0);
        try
        {
            await using var g = TestGateway.Create();
            g.AddBadge("anna");
            g.AddBadge("ben");
            g.AddChannel(1, 8000, "anna", "ben");
            var data = g.Options.DataDirectory;

            // As an earlier version left it: the folder and the database readable by all, an old recording, a Matrix session.
            const UnixFileMode Readable = (UnixFileMode)0b110_100_100;
            FileModes.Set(data, (UnixFileMode)0b111_101_101);
            FileModes.Set(Path.Combine(data, "walkie.db"), Readable);
            var old = Path.Combine(data, "recordings", "ch1", "2026-01-01", "00000001-anna.wav");
            Directory.CreateDirectory(Path.GetDirectoryName(old)!);
            File.WriteAllBytes(old, new WalkieTalkie.Gateway.Recording.RecordedAudio(8000, 164, new byte[164], true, 0, false).ToWav());
            var session = Path.Combine(data, "matrix", "badges", "anna", "session.json");
            Directory.CreateDirectory(Path.GetDirectoryName(session)!);
            File.WriteAllText(session, "{}");
            Assert.Equal((UnixFileMode)0b110_110_110, FileModes.Of(session)); // umask 000 indeed

            g.Mqtt.TlsPort = FreePort.Next(); // the site certificate is made at start
            await g.StartAsync();
            var anna = await g.ConnectAsync("anna");
            var ben = await g.ConnectAsync("ben");
            var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
            await anna.TalkAsync(grant, 5, release: false, gapMs: 20);

            // A voice message from the room waits on disk for the floor.
            var message = await new EngineBadgePlayer(g.Host.Engine).QueueAsync("ch1", MatrixAudio.Message(10, tag: 1), "Alice", CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(data, "recordings", "queued", $"{message:D8}-ch1.wtr")));
            Assert.True(File.Exists(Path.Combine(data, "site-cert.pfx")));
            Assert.True(File.Exists(Path.Combine(data, "recording.key")));
            Assert.Single(Directory.GetFiles(Path.Combine(data, "recordings", "ch1"), "*.wtr", SearchOption.AllDirectories));
            AssertOwnerOnly(data);

            await anna.TalkAsync(grant, 1, firstSequence: 5);
            await ben.WaitForAsync<BurstEnd>(e => e.BurstId == message, timeoutMs: 10000);
            AssertOwnerOnly(data);
        }
        finally
        {
            FileModes.SetUmask(previous);
        }
    }

    [Fact]
    public async Task The_cli_makes_the_data_folder_and_database_owner_only_under_umask_000()
    {
        var parent = Directory.CreateTempSubdirectory("wt-cli-umask-").FullName;
        try
        {
            var data = Path.Combine(parent, "data");
            Assert.Equal(0, (await WalkieCli.RunWithUmaskAsync(data, "000", "channel", "add", "1", "family")).ExitCode);
            Assert.Equal(0, (await WalkieCli.RunWithUmaskAsync(data, "000", "badge", "add", "anna")).ExitCode);
            Assert.Equal(0, (await WalkieCli.RunWithUmaskAsync(data, "000", "tls", "show")).ExitCode);
            Assert.True(File.Exists(Path.Combine(data, "walkie.db")));
            AssertOwnerOnly(data);
        }
        finally
        {
            Directory.Delete(parent, true);
        }
    }
}
