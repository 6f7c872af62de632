using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Storage;

namespace WalkieTalkie.Matrix.Store;

/// <summary>The key store of one Matrix device: a SQLite file holding the machine's state, sealed with the operator's
/// <see cref="StoreKey"/>, and the sync token. <see cref="SaveChanges"/> writes both in one transaction, so after a crash
/// the state and the token always match: to-device events after the saved token are delivered again and decrypted on
/// the state that never saw them, and events before it are never seen again. Nothing private is written in the clear.</summary>
public sealed class CryptoStore : IDisposable
{
    private const string CheckRecord = "walkie-talkie key store";
    private readonly SqliteConnection _connection;
    private readonly StoreKey _key;
    private readonly ILogger _logger;

    private CryptoStore(SqliteConnection connection, StoreKey key, ILogger logger)
    {
        _connection = connection;
        _key = key;
        _logger = logger;
    }

    /// <summary>Opens (or creates) the key store at <paramref name="path"/>. The file is created owner-only.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> when <paramref name="key"/> is not
    /// the key this store was created with (nothing is changed then).</exception>
    public static CryptoStore Open(string path, StoreKey key, ILogger? logger = null)
    {
        var isNew = !File.Exists(path);
        if (isNew && !OperatingSystem.IsWindows())
        {
            using (File.Create(path)) { }
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var store = new CryptoStore(connection, key, logger ?? NullLogger.Instance);
        try
        {
            // WAL with full sync: a committed transaction survives power loss; secure_delete: freed pages are zeroed.
            store.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;");
            store.Execute(CryptoStoreSchema.Create);
            store.CheckKey();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>The sync token saved with the last changes, or null before the first sync.</summary>
    public string? SyncToken => ReadMeta("sync_token") is { } sealedToken ? Encoding.UTF8.GetString(Open(sealedToken, "meta:sync_token")) : null;

    /// <summary>The machine saved here, or a new one for <paramref name="userId"/>'s <paramref name="deviceId"/> (saved at
    /// once: the device's keys must never change once uploaded).</summary>
    /// <exception cref="InvalidOperationException">The store belongs to another user or device.</exception>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.CorruptState"/> for damaged records.</exception>
    public OlmMachine OpenMachine(string userId, string deviceId, TimeProvider? time = null)
    {
        if (ReadMeta("owner") is { } owner)
        {
            var saved = Encoding.UTF8.GetString(owner);
            if (saved != userId + "|" + deviceId)
            {
                throw new InvalidOperationException($"this key store belongs to {saved.Replace('|', ' ')}, not {userId} {deviceId}");
            }

            var machine = OlmMachine.Restore(userId, deviceId, LoadState(), time);
            _logger.LogInformation("Key store opened for {UserId} {DeviceId}", userId, deviceId);
            return machine;
        }
        var created = OlmMachine.Create(userId, deviceId, time);
        using (var transaction = _connection.BeginTransaction())
        {
            WriteMeta(transaction, "owner", Encoding.UTF8.GetBytes(userId + "|" + deviceId));
            Write(transaction, created.TakeChanges());
            transaction.Commit();
        }
        _logger.LogInformation("Key store created a new device {DeviceId} for {UserId}", deviceId, userId);
        return created;
    }

    /// <summary>Writes the machine's changes and, when given, the next sync token, in one transaction. The changes are
    /// wiped as they are sealed: save each <see cref="CryptoChanges"/> once.</summary>
    /// <exception cref="SqliteException">The write failed (disk full, I/O error). Nothing of it was committed, but the
    /// machine already handed these changes over: drop the machine and open it again with <see cref="OpenMachine"/>
    /// (the store still holds the previous state and token, so the same sync comes again).</exception>
    public void SaveChanges(CryptoChanges changes, string? nextBatch)
    {
        using var transaction = _connection.BeginTransaction();
        Write(transaction, changes);
        if (nextBatch is not null)
        {
            WriteMeta(transaction, "sync_token", Seal(Encoding.UTF8.GetBytes(nextBatch), "meta:sync_token"));
        }

        transaction.Commit();
        _logger.LogDebug("Key store saved {Count} records for {DeviceId}; sync token {Advanced}", changes.Count, changes.DeviceId,
            nextBatch is null ? "unchanged" : "advanced");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
    }

    private void Write(SqliteTransaction transaction, CryptoChanges changes)
    {
        if (changes.Account is not null)
        {
            WriteMeta(transaction, "account", _key.Seal(StateKind.OlmAccount, changes.Account, "meta:account"));
        }

        if (changes.CrossSigning is not null)
        {
            WriteMeta(transaction, "cross_signing", _key.Seal(StateKind.CrossSigningIdentity, changes.CrossSigning, "meta:cross_signing"));
        }

        WriteMeta(transaction, "machine", Seal(changes.Metadata, "meta:machine"));

        var used = Scalar(transaction, "SELECT COALESCE(MAX(used), 0) FROM olm_sessions");
        foreach (var (senderKey, sessionId, state) in changes.OlmSessions)
        {
            Run(transaction, "INSERT OR REPLACE INTO olm_sessions VALUES ($a, $b, $c, $d)", senderKey, sessionId, ++used,
                _key.Seal(StateKind.OlmSession, state, $"olm:{senderKey}|{sessionId}"));
        }

        foreach (var (roomKey, state) in changes.RoomKeys)
        {
            var context = $"inbound:{roomKey.RoomId}|{roomKey.Session.SessionId}";
            var sender = new JsonObject
            {
                ["user_id"] = roomKey.SenderUserId, ["curve25519"] = roomKey.SenderCurve25519Key, ["ed25519"] = roomKey.SenderClaimedEd25519Key,
            };
            Run(transaction, "INSERT OR REPLACE INTO inbound_group_sessions VALUES ($a, $b, $c, $d)", roomKey.RoomId, roomKey.Session.SessionId,
                Seal(Encoding.UTF8.GetBytes(sender.ToJsonString()), context + "/sender"), _key.Seal(StateKind.InboundGroupSession, state, context));
        }
        foreach (var (roomId, state) in changes.OutboundSessions)
        {
            if (state is null)
            {
                Run(transaction, "DELETE FROM outbound_group_sessions WHERE room_id = $a", roomId);
            }
            else
            {
                Run(transaction, "INSERT OR REPLACE INTO outbound_group_sessions VALUES ($a, $b)", roomId,
                    _key.Seal(StateKind.OutboundGroupSession, state, "outbound:" + roomId));
            }
        }
        foreach (var entry in changes.ReplayEntries)
        {
            var value = new JsonObject { ["event_id"] = entry.EventId, ["ts"] = entry.OriginServerTs };
            Run(transaction, "INSERT OR REPLACE INTO megolm_replay VALUES ($a, $b, $c, $d)", entry.RoomId, entry.SessionId, (long)entry.MessageIndex,
                Seal(Encoding.UTF8.GetBytes(value.ToJsonString()), $"replay:{entry.RoomId}|{entry.SessionId}|{entry.MessageIndex}"));
        }
    }

    internal MachineState LoadState()
    {
        var state = new MachineState
        {
            Account = _key.Open(StateKind.OlmAccount, ReadMeta("account") ?? throw Corrupt("no account"), "meta:account"),
            CrossSigning = ReadMeta("cross_signing") is { } cs ? _key.Open(StateKind.CrossSigningIdentity, cs, "meta:cross_signing") : null,
            Metadata = Open(ReadMeta("machine") ?? throw Corrupt("no machine metadata"), "meta:machine"),
        };
        foreach (var row in Query("SELECT sender_key, session_id, state FROM olm_sessions ORDER BY used DESC"))
        {
            state.OlmSessions.Add(((string)row[0], _key.Open(StateKind.OlmSession, (byte[])row[2], $"olm:{row[0]}|{row[1]}")));
        }

        foreach (var row in Query("SELECT room_id, session_id, sender, state FROM inbound_group_sessions"))
        {
            var context = $"inbound:{row[0]}|{row[1]}";
            var sender = JsonNode.Parse(Open((byte[])row[2], context + "/sender"))!;
            state.RoomKeys.Add(((string)row[0], sender["user_id"]!.GetValue<string>(), sender["curve25519"]!.GetValue<string>(),
                sender["ed25519"]!.GetValue<string>(), _key.Open(StateKind.InboundGroupSession, (byte[])row[3], context)));
        }
        foreach (var row in Query("SELECT room_id, state FROM outbound_group_sessions"))
        {
            state.OutboundSessions.Add(((string)row[0], _key.Open(StateKind.OutboundGroupSession, (byte[])row[1], "outbound:" + row[0])));
        }

        foreach (var row in Query("SELECT room_id, session_id, message_index, value FROM megolm_replay"))
        {
            var value = JsonNode.Parse(Open((byte[])row[3], $"replay:{row[0]}|{row[1]}|{row[2]}"))!;
            state.ReplayEntries.Add(new MegolmReplayEntry((string)row[0], (string)row[1], (uint)(long)row[2],
                value["event_id"]!.GetValue<string>(), value["ts"]!.GetValue<long>()));
        }
        return state;
    }

    /// <summary>A sealed constant proves the key is the store's before anything is read or written.</summary>
    private void CheckKey()
    {
        if (ReadMeta("check") is { } check)
        {
            try
            {
                if (Encoding.UTF8.GetString(Open(check, "meta:check")) == CheckRecord)
                {
                    return;
                }
            }
            catch (MatrixCryptoException)
            {
            }
            throw new MatrixCryptoException(CryptoError.CorruptState, "the store key does not open this key store (wrong key, or a damaged file)");
        }
        using var transaction = _connection.BeginTransaction();
        WriteMeta(transaction, "check", Seal(Encoding.UTF8.GetBytes(CheckRecord), "meta:check"));
        WriteMeta(transaction, "schema", Encoding.UTF8.GetBytes(CryptoStoreSchema.Version.ToString()));
        transaction.Commit();
    }

    private byte[] Seal(byte[] plaintext, string context) => _key.Seal(StateKind.StoreRecord, plaintext, context);
    private byte[] Open(byte[] sealedData, string context) => _key.Open(StateKind.StoreRecord, sealedData, context);

    private static MatrixCryptoException Corrupt(string why) => new(CryptoError.CorruptState, "the key store is damaged: " + why);

    private byte[]? ReadMeta(string name)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $a";
        command.Parameters.AddWithValue("$a", name);
        return command.ExecuteScalar() as byte[];
    }

    private void WriteMeta(SqliteTransaction transaction, string name, byte[] value) =>
        Run(transaction, "INSERT OR REPLACE INTO meta VALUES ($a, $b)", name, value);

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(SqliteTransaction transaction, string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private void Run(SqliteTransaction transaction, string sql, params object[] values)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (char)('a' + i), values[i]);
        }

        command.ExecuteNonQuery();
    }

    private List<object[]> Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
