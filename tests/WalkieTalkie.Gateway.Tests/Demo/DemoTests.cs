using WalkieTalkie.Gateway.Demo;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Demo;

/// <summary><c>walkie demo</c> end to end: the embedded gateway and the virtual badges of the badge library.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_conversation_is_talked_heard_and_recorded()
    {
        var folder = Directory.CreateTempSubdirectory("wt-demo-").FullName;
        try
        {
            var log = new ListLoggerProvider();
            var output = new StringWriter();
            var data = Path.Combine(folder, "data");
            Assert.Equal(0, await DemoRun.RunAsync(data, folder, 0, log, output));

            var text = output.ToString();
            foreach (var badge in DemoRun.Family)
            {
                Assert.True(File.Exists(Path.Combine(folder, $"{badge}-heard.wav")), text);
                var (rate, samples) = Sox.Decode(Path.Combine(folder, $"{badge}-heard.wav"));
                Assert.Equal(8000, rate);
                Assert.True(samples > 8000, text);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var recordings = new SqliteRecordingIndex(new SqliteDatabase(Path.Combine(data, "walkie.db"))).Recent(10);
            Assert.Equal(DemoRun.Conversation.Select(l => l.BadgeId), recordings.OrderBy(r => r.BurstId).Select(r => r.BadgeId));
            Assert.All(recordings, r => Assert.True(r.Complete && r.FramesReceived > 20, text));
            Assert.Contains("anna  talked 1 bursts", text);
            Assert.Contains("heard 3 bursts", text);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }
}
