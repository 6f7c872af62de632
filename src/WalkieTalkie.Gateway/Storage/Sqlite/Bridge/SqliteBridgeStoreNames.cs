using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sql.Bridge;

namespace WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

// The bridge's shared stores of Storage/Sql/Bridge under their SQLite names, typed to a SqliteDatabase (see SqliteStoreNames).

public sealed class SqliteMatrixLinks(SqliteDatabase database, IRecordingIndex recordings) : SqlMatrixLinks(database, recordings);

public sealed class SqliteBurstFeed(SqliteDatabase database) : SqlBurstFeed(database);

public sealed class SqliteThreadStore(SqliteDatabase database) : SqlThreadStore(database);

public sealed class SqliteBurstIndex(SqliteDatabase database) : SqlBurstIndex(database);

public sealed class SqliteIncomingStore(SqliteDatabase database, TimeProvider? time = null) : SqlIncomingStore(database, time);

public sealed class SqlitePermitChangeTimes(SqliteDatabase database) : SqlPermitChangeTimes(database);

public sealed class SqliteOutboxMap(SqliteDatabase database) : SqlOutboxMap(database);

public sealed class SqliteDirectRoomStore(SqliteDatabase database) : SqlDirectRoomStore(database);

public sealed class SqliteDirectReplyFeed(SqliteDatabase database) : SqlDirectReplyFeed(database);
