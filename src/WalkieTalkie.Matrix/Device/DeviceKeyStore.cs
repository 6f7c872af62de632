using Microsoft.Data.Sqlite;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Storage;

namespace WalkieTalkie.Matrix.Device;

/// <summary>
/// The devices' key store: one SQLite file (many devices, one row set each) holding every device's crypto state as
/// records sealed with the <see cref="StoreKey"/> (AES-256-GCM, the row's identity authenticated with it, so no
/// record can be moved to another row), and its sync token. <see cref="Save"/> writes a machine's changes and the
/// token in one transaction: a crash leaves either both or neither, so no to-device message is lost or decrypted
/// twice. Public data (room and session ids, the replay log) is stored as it is.
/// </summary>
internal sealed class DeviceKeyStore : IDisposable
{
    /// <summary>The machine's metadata (tracked users, devices, sharing marks) is sealed as a kind of its own,
    /// outside the codec's record kinds.</summary>
    private const StateKind MetadataKind = (StateKind)0x80;

    private readonly SqliteConnection _connection;
    private readonly StoreKey _key;

    private DeviceKeyStore(SqliteConnection connection, StoreKey key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Opens (or creates, owner-only) the store file with the operator's key.</summary>
    public static DeviceKeyStore Open(MatrixDeviceOptions options)
    {
        var key = new StoreKey(StoreKeyFile.Read(options));
        SqliteConnection? connection = null;
        try
        {
            OwnerOnlyFile.CreateIfMissing(options.KeyStorePath);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = options.KeyStorePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false,
            }.ToString());
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                PRAGMA secure_delete=ON;
                PRAGMA busy_timeout=5000;
                CREATE TABLE IF NOT EXISTS crypto_device (
                    owner TEXT PRIMARY KEY, account BLOB NOT NULL, cross_signing BLOB NULL, metadata BLOB NOT NULL, sync_token TEXT NULL);
                CREATE TABLE IF NOT EXISTS crypto_olm_session (
                    owner TEXT NOT NULL, sender_key TEXT NOT NULL, session_id TEXT NOT NULL, state BLOB NOT NULL,
                    PRIMARY KEY (owner, sender_key, session_id));
                CREATE TABLE IF NOT EXISTS crypto_room_key (
                    owner TEXT NOT NULL, room_id TEXT NOT NULL, session_id TEXT NOT NULL, sender_user TEXT NOT NULL,
                    sender_curve25519 TEXT NOT NULL, sender_ed25519 TEXT NOT NULL, state BLOB NOT NULL,
                    PRIMARY KEY (owner, room_id, session_id));
                CREATE TABLE IF NOT EXISTS crypto_outbound (
                    owner TEXT NOT NULL, room_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (owner, room_id));
                CREATE TABLE IF NOT EXISTS crypto_replay (
                    owner TEXT NOT NULL, room_id TEXT NOT NULL, session_id TEXT NOT NULL, message_index INTEGER NOT NULL,
                    event_id TEXT NOT NULL, origin_server_ts INTEGER NOT NULL, PRIMARY KEY (owner, room_id, session_id, message_index));
                """);
            return new DeviceKeyStore(connection, key);
        }
        catch
        {
            connection?.Dispose();
            key.Dispose();
            throw;
        }
    }

    /// <summary>A device's machine and sync token; (null, null) for a device never saved.</summary>
    /// <exception cref="Crypto.MatrixCryptoException"><c>CorruptState</c>: a wrong key, or a tampered or moved record.</exception>
    public (OlmMachine? Machine, string? SyncToken) Load(string userId, string deviceId)
    {
        var owner = Owner(userId, deviceId);
        using var read = _connection.BeginTransaction();
        byte[] account, metadata;
        byte[]? crossSigning;
        string? token;
        using (var command = Command("SELECT account, cross_signing, metadata, sync_token FROM crypto_device WHERE owner = $owner;", read, owner))
        using (var r = command.ExecuteReader())
        {
            if (!r.Read()) return (null, null);
            account = _key.Open(StateKind.OlmAccount, (byte[])r[0], owner);
            crossSigning = r.IsDBNull(1) ? null : _key.Open(StateKind.CrossSigningIdentity, (byte[])r[1], owner);
            metadata = _key.Open(MetadataKind, (byte[])r[2], owner);
            token = r.IsDBNull(3) ? null : r.GetString(3);
        }
        var state = new MachineState { Account = account, CrossSigning = crossSigning, Metadata = metadata };
        using (var command = Command("SELECT sender_key, session_id, state FROM crypto_olm_session WHERE owner = $owner;", read, owner))
        using (var r = command.ExecuteReader())
            while (r.Read())
                state.OlmSessions.Add((r.GetString(0), _key.Open(StateKind.OlmSession, (byte[])r[2], Context(owner, r.GetString(0), r.GetString(1)))));
        using (var command = Command("SELECT room_id, session_id, sender_user, sender_curve25519, sender_ed25519, state FROM crypto_room_key WHERE owner = $owner;", read, owner))
        using (var r = command.ExecuteReader())
            while (r.Read())
                state.RoomKeys.Add((r.GetString(0), r.GetString(2), r.GetString(3), r.GetString(4),
                    _key.Open(StateKind.InboundGroupSession, (byte[])r[5], Context(owner, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)))));
        using (var command = Command("SELECT room_id, state FROM crypto_outbound WHERE owner = $owner;", read, owner))
        using (var r = command.ExecuteReader())
            while (r.Read())
                state.OutboundSessions.Add((r.GetString(0), _key.Open(StateKind.OutboundGroupSession, (byte[])r[1], Context(owner, r.GetString(0)))));
        using (var command = Command("SELECT room_id, session_id, message_index, event_id, origin_server_ts FROM crypto_replay WHERE owner = $owner;", read, owner))
        using (var r = command.ExecuteReader())
            while (r.Read())
                state.ReplayEntries.Add(new MegolmReplayEntry(r.GetString(0), r.GetString(1), (uint)r.GetInt64(2), r.GetString(3), r.GetInt64(4)));
        read.Commit();
        return (OlmMachine.Restore(userId, deviceId, state, null), token);
    }

    /// <summary>Writes a machine's changes and, when given, the sync token, in one transaction.</summary>
    public void Save(CryptoChanges changes, string? syncToken)
    {
        var owner = Owner(changes.UserId, changes.DeviceId);
        using var write = _connection.BeginTransaction();
        var metadata = _key.Seal(MetadataKind, changes.Metadata.ToArray(), owner);
        if (changes.Account is { } account)
        {
            using var upsert = Command("""
                INSERT INTO crypto_device (owner, account, metadata) VALUES ($owner, $a, $m)
                ON CONFLICT (owner) DO UPDATE SET account = excluded.account, metadata = excluded.metadata;
                """, write, owner);
            upsert.Parameters.AddWithValue("$a", _key.Seal(StateKind.OlmAccount, account, owner));
            upsert.Parameters.AddWithValue("$m", metadata);
            upsert.ExecuteNonQuery();
        }
        else
        {
            using var update = Command("UPDATE crypto_device SET metadata = $m WHERE owner = $owner;", write, owner);
            update.Parameters.AddWithValue("$m", metadata);
            if (update.ExecuteNonQuery() != 1)
                throw new InvalidOperationException($"The key store holds no account for {owner}: the first save must carry it.");
        }
        if (changes.CrossSigning is { } crossSigning)
            Run(write, "UPDATE crypto_device SET cross_signing = $a WHERE owner = $owner;", owner,
                ("$a", _key.Seal(StateKind.CrossSigningIdentity, crossSigning, owner)));
        if (syncToken is not null)
            Run(write, "UPDATE crypto_device SET sync_token = $a WHERE owner = $owner;", owner, ("$a", syncToken));

        foreach (var (senderKey, sessionId, state) in changes.OlmSessions)
            Run(write, "INSERT OR REPLACE INTO crypto_olm_session (owner, sender_key, session_id, state) VALUES ($owner, $a, $b, $c);", owner,
                ("$a", senderKey), ("$b", sessionId), ("$c", _key.Seal(StateKind.OlmSession, state, Context(owner, senderKey, sessionId))));
        foreach (var (roomKey, state) in changes.RoomKeys)
            Run(write, """
                INSERT OR REPLACE INTO crypto_room_key (owner, room_id, session_id, sender_user, sender_curve25519, sender_ed25519, state)
                VALUES ($owner, $a, $b, $c, $d, $e, $f);
                """, owner, ("$a", roomKey.RoomId), ("$b", roomKey.Session.SessionId), ("$c", roomKey.SenderUserId),
                ("$d", roomKey.SenderCurve25519Key), ("$e", roomKey.SenderClaimedEd25519Key),
                ("$f", _key.Seal(StateKind.InboundGroupSession, state, Context(owner, roomKey.RoomId, roomKey.Session.SessionId,
                    roomKey.SenderUserId, roomKey.SenderCurve25519Key, roomKey.SenderClaimedEd25519Key))));
        foreach (var (roomId, state) in changes.OutboundSessions)
        {
            if (state is null)
                Run(write, "DELETE FROM crypto_outbound WHERE owner = $owner AND room_id = $a;", owner, ("$a", roomId));
            else
                Run(write, "INSERT OR REPLACE INTO crypto_outbound (owner, room_id, state) VALUES ($owner, $a, $b);", owner,
                    ("$a", roomId), ("$b", _key.Seal(StateKind.OutboundGroupSession, state, Context(owner, roomId))));
        }
        foreach (var entry in changes.ReplayEntries)
            Run(write, """
                INSERT OR IGNORE INTO crypto_replay (owner, room_id, session_id, message_index, event_id, origin_server_ts)
                VALUES ($owner, $a, $b, $c, $d, $e);
                """, owner, ("$a", entry.RoomId), ("$b", entry.SessionId), ("$c", (long)entry.MessageIndex), ("$d", entry.EventId),
                ("$e", entry.OriginServerTs));
        write.Commit();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _key.Dispose();
    }

    private static string Owner(string userId, string deviceId) => userId + "|" + deviceId;

    /// <summary>The row's identity, authenticated with its sealed record.</summary>
    private static string Context(string owner, params string[] parts) => owner + "|" + string.Join('|', parts);

    private SqliteCommand Command(string sql, SqliteTransaction transaction, string owner)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$owner", owner);
        return command;
    }

    private void Run(SqliteTransaction transaction, string sql, string owner, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, transaction, owner);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
