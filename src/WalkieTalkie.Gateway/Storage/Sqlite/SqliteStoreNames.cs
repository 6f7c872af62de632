using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

// The shared stores of Storage/Sql under their SQLite names, typed to a SqliteDatabase: what the tools, the benches and
// the tests that set up a gateway's file make, so that none of them can be handed another provider's database by mistake.

public sealed class SqliteBadgeStore(SqliteDatabase database, SecretHasher hasher) : SqlBadgeStore(database, hasher);

public sealed class SqliteChannelStore(SqliteDatabase database) : SqlChannelStore(database);

public sealed class SqlitePermitStore(SqliteDatabase database) : SqlPermitStore(database);

public sealed class SqliteRegistryReader(SqliteDatabase database) : SqlRegistryReader(database);

public sealed class SqliteQuietStore(SqliteDatabase database) : SqlQuietStore(database);

public sealed class SqliteEmergencyStore(SqliteDatabase database) : SqlEmergencyStore(database);

public sealed class SqliteAuditStore(SqliteDatabase database) : SqlAuditStore(database);

public sealed class SqliteZoneStore(SqliteDatabase database) : SqlZoneStore(database);

public sealed class SqliteLastTalkerStore(SqliteDatabase database) : SqlLastTalkerStore(database);

public sealed class SqliteRecordingIndex(SqliteDatabase database) : SqlRecordingIndex(database);

public sealed class SqliteUnplayedStore(SqliteDatabase database) : SqlUnplayedStore(database);

public sealed class SqliteStatusStore(SqliteDatabase database) : SqlStatusStore(database);

public sealed class SqliteRecordingRetention(SqliteDatabase database) : SqlRecordingRetention(database);

public sealed class SqliteBurstIdReservations(SqliteDatabase database) : SqlBurstIdReservations(database);
