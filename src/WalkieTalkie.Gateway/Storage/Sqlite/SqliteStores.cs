using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>The SQLite stores a consumer needs together, over one database.</summary>
public static class SqliteStores
{
    /// <inheritdoc cref="SqlStores.Bridge"/>
    public static BridgeStores Bridge(SqliteDatabase database, TimeProvider? time = null) => SqlStores.Bridge(database, time);
}
