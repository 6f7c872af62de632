using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>The SQLite stores a consumer needs together, over one database.</summary>
public static class SqliteStores
{
    /// <summary>Everything the Matrix bridge and the link commands keep and read, in the gateway database.</summary>
    public static BridgeStores Bridge(SqliteDatabase database, TimeProvider? time = null)
    {
        var recordings = new SqliteRecordingIndex(database);
        return new BridgeStores(new SqliteChannelStore(database), new SqlitePermitStore(database), new SqliteRegistryReader(database), recordings,
            new SqliteMatrixLinks(database, recordings), new SqliteBurstFeed(database), new SqliteThreadStore(database),
            new SqliteBurstIndex(database), new SqliteIncomingStore(database, time), new SqlitePermitChangeTimes(database),
            new SqliteOutboxMap(database), new SqliteDirectRoomStore(database), new SqliteDirectReplyFeed(database));
    }
}
