using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>A running gateway deletes recordings past their channel's retention at start, and keeps what the bridge owes its room.</summary>
public sealed class RetentionServiceTests
{
    [Fact]
    public async Task At_start_the_gateway_deletes_expired_recordings_and_keeps_the_rest()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddChannel(1, 8000, "anna");
        g.AddChannel(2, 8000, "anna");
        var data = g.Options.DataDirectory;
        var key = RecordingKeyFile.LoadOrCreate(Path.Combine(data, RecordingKeyFile.FileName), null, Path.Combine(data, "recordings"), NullLogger.Instance);
        var index = new SqliteRecordingIndex(g.Database);
        var now = DateTimeOffset.UtcNow;

        string Record(uint burstId, byte channel, double daysAgo)
        {
            var path = Path.Combine(data, "recordings", $"ch{channel}", $"{burstId:D8}-anna{RecordingFormat.Extension}");
            Recordings.AddFinished(index, key, burstId, channel, "anna", now - TimeSpan.FromDays(daysAgo), path, new byte[164]);
            return path;
        }

        var expired = Record(1, 1, 45);
        var recent = Record(2, 1, 3);
        new SqliteMatrixLinks(g.Database, index).SaveChannel("ch2", "!room:example.org", "@granter:example.org");
        var owed = Record(3, 2, 45);

        await g.StartAsync();
        Assert.True(await Eventually.TrueAsync(() => !File.Exists(expired)), "the expired recording was not deleted");
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(owed));
        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Deleted 1 recordings")), "the deletion was not logged"); // logged after the files go
    }
}
