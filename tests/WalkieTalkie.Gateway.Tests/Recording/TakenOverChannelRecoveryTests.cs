using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>
/// A gateway that comes to own a channel recovers the recordings its previous owner left unfinished on that channel,
/// and only those: another channel's may still be written by its owner, and its own by itself.
/// </summary>
public sealed class TakenOverChannelRecoveryTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly RecordingKey _key = RecordingKey.Generate();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Only_the_taken_over_channels_recordings_not_written_here_are_recovered_marked_incomplete()
    {
        var index = new SqliteRecordingIndex(_db.Database);
        var cut = Unfinished(index, burstId: 1, channel: 1, blocks: 6);
        var ownWriting = Unfinished(index, burstId: 2, channel: 1, blocks: 3);
        var otherChannel = Unfinished(index, burstId: 3, channel: 2, blocks: 4);
        var recovery = new RecordingRecovery(index, new RecordingReader(_key), _key, NullLogger<RecordingRecovery>.Instance);

        var recovered = Assert.Single(recovery.RecoverChannel(1, burstId => burstId == 2));

        Assert.Equal(1u, recovered.BurstId);
        Assert.False(recovered.Complete);
        Assert.Equal(6, recovered.FramesReceived);
        Assert.Equal(6L * 337 * 1000 / 8000, recovered.DurationMs);
        var audio = new RecordingReader(_key).Read(cut);
        Assert.True(audio.Finished);
        Assert.Equal(6, audio.BlockCount);
        Assert.Equal([2u, 3u], index.Unfinished().Select(r => r.BurstId).Order());
        Assert.False(new RecordingReader(_key).Read(ownWriting).Finished);
        Assert.False(new RecordingReader(_key).Read(otherChannel).Finished);
        Assert.Empty(recovery.RecoverChannel(1, burstId => burstId == 2));
    }

    // A burst as its writer leaves it when killed: the row unfinished, the file sealed chunk by chunk with no final one.
    private string Unfinished(SqliteRecordingIndex index, uint burstId, byte channel, int blocks)
    {
        var path = RecordingPaths.For(Path.Combine(_db.Directory, "recordings"), channel, burstId, "anna", DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        index.Start(burstId, channel, "anna", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), path, 8000);
        index.SetLayout(burstId, 172, 1);
        using var file = new FileStream(path, FileMode.Create);
        using var writer = new RecordingFileWriter(file, _key);
        writer.Begin(8000, 172);
        for (var i = 0; i < blocks; i++)
        {
            writer.Append(new byte[172]);
        }

        return path;
    }
}
