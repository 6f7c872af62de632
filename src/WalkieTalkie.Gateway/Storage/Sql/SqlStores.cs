using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sql.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>The stores a consumer needs together, over one database.</summary>
public static class SqlStores
{
    /// <summary>Everything the Matrix bridge and the link commands keep and read, in the gateway database.</summary>
    public static BridgeStores Bridge(SqlDatabase database, TimeProvider? time = null)
    {
        var recordings = new SqlRecordingIndex(database);
        return new BridgeStores(new SqlChannelStore(database), new SqlPermitStore(database), new SqlRegistryReader(database), recordings,
            new SqlMatrixLinks(database, recordings), new SqlBurstFeed(database), new SqlThreadStore(database),
            new SqlBurstIndex(database), new SqlIncomingStore(database, time), new SqlPermitChangeTimes(database),
            new SqlOutboxMap(database), new SqlDirectRoomStore(database), new SqlDirectReplyFeed(database), new SqlEngineReports(database));
    }
}
