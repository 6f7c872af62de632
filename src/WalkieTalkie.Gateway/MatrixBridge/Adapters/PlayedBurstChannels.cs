using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage;

using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// The channel (by name) of a burst a badge played. Burst ids are gateway-wide: a recorded burst is found in the
/// recorder's <c>recordings</c>, a voice message from a room that the gateway played in the bridge's burst index.
/// </summary>
public sealed class PlayedBurstChannels(SqliteDatabase database)
{
    private readonly SqliteRecordingIndex _recordings = new(database);
    private readonly SqliteBurstIndex _index = new(database);

    /// <summary>The channel's name, or null when the burst is unknown (or its channel was removed).</summary>
    public string? ChannelOf(uint burstId)
    {
        if (_recordings.Get(burstId) is { } recording)
        {
            return new SqliteChannelStore(database).List().FirstOrDefault(c => c.Number == recording.Channel)?.Name;
        }

        return _index.Find(burstId)?.Channel;
    }
}
