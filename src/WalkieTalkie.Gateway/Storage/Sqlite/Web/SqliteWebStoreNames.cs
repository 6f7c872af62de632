using WalkieTalkie.Gateway.Storage.Sql.Web;

namespace WalkieTalkie.Gateway.Storage.Sqlite.Web;

// The web walkie's shared stores of Storage/Sql/Web under their SQLite names, typed to a SqliteDatabase (see SqliteStoreNames).

public sealed class SqliteWebUserStore(SqliteDatabase database) : SqlWebUserStore(database);

public sealed class SqliteWebDeviceStore(SqliteDatabase database) : SqlWebDeviceStore(database);
