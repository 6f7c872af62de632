using Microsoft.Data.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Crash;

/// <summary>kill -9 of the gateway process in the middle of a burst, then a restart.</summary>
public sealed class KillDuringBurstTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_burst_cut_by_kill_9_is_on_disk_marked_incomplete_and_readable_after_a_restart()
    {
        var secrets = new Dictionary<string, string> { ["anna"] = _db.Badges.Add("anna", "Anna"), ["ben"] = _db.Badges.Add("ben", "Ben") };
        _db.Channels.Add(1, "family");
        foreach (var id in secrets.Keys)
        {
            _db.Channels.Join(1, id);
            _db.Permits.Grant(id, 1, PermitBits.Known, null, "test", accepted: true);
        }

        SqliteConnection.ClearAllPools();
        var port = FreePort.Next();
        uint burstId;
        await using (var gateway = await GatewayProcess.StartAsync(_db.Directory, port))
        {
            await using var anna = await TestBadge.ConnectAsync(port, "anna", secrets["anna"]);
            await using var ben = await TestBadge.ConnectAsync(port, "ben", secrets["ben"]);
            foreach (var badge in new[] { anna, ben })
            {
                await badge.SendStateAsync(BadgeStatus.Idle);
                await badge.WaitForAsync<Config>(timeoutMs: 15000);
            }

            var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
            burstId = grant.BurstId;
            await anna.TalkAsync(grant, 25, release: false, gapMs: 20);
            Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count == 25, 10000));

            await gateway.KillAsync();
            Assert.True(gateway.HasExited);
        }

        // Killed: the row says unfinished, the file (sealed at rest, no WAV) has no final chunk.
        var store = new SqliteRecordingIndex(_db.Database);
        var cut = Assert.Single(store.Unfinished());
        Assert.Equal(burstId, cut.BurstId);
        Assert.True(File.Exists(cut.Path));
        Assert.False(File.ReadAllBytes(cut.Path).AsSpan().StartsWith("RIFF"u8));
        Assert.False(Recordings.Reader(_db.Directory).Read(cut.Path).Finished);
        SqliteConnection.ClearAllPools();

        await using (var restarted = await GatewayProcess.StartAsync(_db.Directory, port))
        {
            Assert.True(await Eventually.TrueAsync(() => restarted.Output.Any(l => l.Contains("Recovered burst " + burstId)), 10000),
                string.Join("\n", restarted.Output));
            var row = store.Get(burstId)!;
            Assert.False(row.Complete);
            Assert.Empty(store.Unfinished());
            Assert.Equal(25, row.FramesReceived);
            Assert.Equal(25L * 321 * 1000 / 8000, row.DurationMs);

            var file = Recordings.Wav(_db.Directory, row.Path);
            var info = new WavInfo();
            Assert.Equal(WavError.Ok, WavReader.Read(file, file.Length, info));
            Assert.Equal(25, info.BlockCount);
            Assert.False(info.DataSizeInferred);
            for (ushort i = 0; i < 25; i += 6)
            {
                Assert.Equal(TestFrames.Make(1, burstId, i).AsSpan(12).ToArray(), file.AsSpan(info.DataOffset + i * 164, 164).ToArray());
            }

            Assert.True(Recordings.Reader(_db.Directory).Read(row.Path).Finished);
            Assert.Equal(25L * 321, Sox.Decode(Recordings.ExportWav(_db.Directory, row.Path)).Samples);

            // The restarted gateway serves, with a new burst id.
            await using var anna = await TestBadge.ConnectAsync(port, "anna", secrets["anna"]);
            await anna.SendStateAsync(BadgeStatus.Idle);
            await anna.WaitForAsync<Config>(timeoutMs: 15000);
            var next = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
            Assert.True(next.BurstId > burstId);
            await anna.TalkAsync(next, 2);
        }
    }
}
