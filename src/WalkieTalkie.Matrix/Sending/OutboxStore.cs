using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace WalkieTalkie.Matrix.Sending;

/// <summary>
/// The outbox's SQLite table. One database file may hold the outboxes of many accounts (<c>owner</c> column).
/// Every write is its own committed transaction with <c>synchronous=FULL</c>, so an entry the caller was told
/// is enqueued survives a crash or power loss.
/// </summary>
internal sealed class OutboxStore : IDisposable
{
    private const string Columns =
        "id, room_id, txn_id, event_type, content, state, event_id, error, attempts, media IS NOT NULL OR media_uri IS NOT NULL, media_uri, " +
        "prepared_type, prepared_content, media_content_type, media_file_name, media_uri_path";

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Null only for a store opened to look at every account's entries (OutboxFile), which never sends.
    private readonly string? _owner;

    private string Owner => _owner ?? throw new InvalidOperationException("This outbox file was opened to look at, not to send.");

    public OutboxStore(string databasePath, string? owner)
    {
        _owner = owner;
        DatabasePath = Path.GetFullPath(databasePath);
        CreateOwnerOnly(databasePath);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=5000;");
        // Content of sent entries is dropped; secure_delete overwrites it in the file instead of leaving it in free pages.
        Execute("PRAGMA secure_delete=ON;");
        Execute("""
            CREATE TABLE IF NOT EXISTS outbox (
                id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                owner              TEXT    NOT NULL,
                room_id            TEXT    NOT NULL,
                txn_id             TEXT    NOT NULL UNIQUE,
                event_type         TEXT    NOT NULL,
                content            TEXT    NOT NULL,
                media              BLOB    NULL,
                media_content_type TEXT    NULL,
                media_file_name    TEXT    NULL,
                media_uri_path     TEXT    NULL,
                media_uri          TEXT    NULL,
                prepared_type      TEXT    NULL,
                prepared_content   TEXT    NULL,
                state              INTEGER NOT NULL DEFAULT 0,
                event_id           TEXT    NULL,
                error              TEXT    NULL,
                attempts           INTEGER NOT NULL DEFAULT 0,
                own_failures       INTEGER NOT NULL DEFAULT 0,
                failing_since      INTEGER NULL,
                created_at         INTEGER NOT NULL,
                updated_at         INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (owner, state, id);
            """);
        AddColumn("own_failures", "INTEGER NOT NULL DEFAULT 0");
        AddColumn("failing_since", "INTEGER NULL");
    }

    // Columns added since the table was first made: a file of an earlier version gets them at its first open.
    private void AddColumn(string column, string definition)
    {
        using var exists = _connection.CreateCommand();
        exists.CommandText = "SELECT 1 FROM pragma_table_info('outbox') WHERE name = $column;";
        exists.Parameters.AddWithValue("$column", column);
        if (exists.ExecuteScalar() is not null)
        {
            return;
        }

        try
        {
            Execute($"ALTER TABLE outbox ADD COLUMN {column} {definition};");
        }
        catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
        {
            // Another outbox on the same file (another badge's, or the CLI's) added it meanwhile.
        }
    }

    /// <summary>
    /// Writes a new entry, or returns the owner's entry that already has <paramref name="txnId"/> (in whatever state it
    /// is now) without writing anything: the caller who enqueues again after a crash gets what it enqueued before.
    /// </summary>
    /// <exception cref="InvalidOperationException">The id is taken by an entry of another room or event type, or of
    /// another owner (the table's transaction ids are unique across owners).</exception>
    public async Task<OutboxEntry> AddAsync(string roomId, string txnId, string eventType, JsonObject content, OutboxMedia? media,
        CancellationToken ct)
    {
        return await LockedAsync(async () =>
        {
            if (await FindLockedAsync(txnId, ct).ConfigureAwait(false) is { } existing)
            {
                if (existing.RoomId != roomId || existing.EventType != eventType)
                {
                    throw new InvalidOperationException(
                        $"Transaction id {txnId} is already outbox entry {existing.Id} ({existing.EventType} to {existing.RoomId}), " +
                        $"not {eventType} to {roomId}.");
                }

                return existing;
            }
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO outbox (owner, room_id, txn_id, event_type, content, media, media_content_type, media_file_name,
                                    media_uri_path, created_at, updated_at)
                VALUES ($owner, $room, $txn, $type, $content, $media, $mediaType, $mediaName, $mediaPath, $now, $now)
                RETURNING id;
                """;
            command.Parameters.AddWithValue("$owner", Owner);
            command.Parameters.AddWithValue("$room", roomId);
            command.Parameters.AddWithValue("$txn", txnId);
            command.Parameters.AddWithValue("$type", eventType);
            command.Parameters.AddWithValue("$content", content.ToJsonString());
            command.Parameters.AddWithValue("$media", (object?)media?.Content ?? DBNull.Value);
            command.Parameters.AddWithValue("$mediaType", (object?)media?.ContentType ?? DBNull.Value);
            command.Parameters.AddWithValue("$mediaName", (object?)media?.FileName ?? DBNull.Value);
            command.Parameters.AddWithValue("$mediaPath", (object?)media?.UriPath ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            long id;
            try
            {
                id = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }
            catch (SqliteException unique) when (unique.SqliteExtendedErrorCode == 2067) // SQLITE_CONSTRAINT_UNIQUE
            {
                throw new InvalidOperationException($"Transaction id {txnId} is already used by another account's outbox in this file.", unique);
            }
            return new OutboxEntry(id, roomId, txnId, eventType, content, OutboxState.Pending, null, null, 0,
                media is not null, null);
        }, ct).ConfigureAwait(false);
    }

    private async Task<OutboxEntry?> FindLockedAsync(string txnId, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox WHERE owner = $owner AND txn_id = $txn;";
        command.Parameters.AddWithValue("$owner", Owner);
        command.Parameters.AddWithValue("$txn", txnId);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadStored(reader).Entry : null;
    }

    /// <summary>The oldest pending entry, with what is needed to send it.</summary>
    public Task<StoredEntry?> NextPendingAsync(CancellationToken ct) =>
        LockedAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM outbox WHERE owner = $owner AND state = 0 ORDER BY id LIMIT 1;";
            command.Parameters.AddWithValue("$owner", Owner);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadStored(reader) : null;
        }, ct);

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxState? state, CancellationToken ct) =>
        LockedAsync<IReadOnlyList<OutboxEntry>>(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM outbox WHERE owner = $owner" +
                                  (state is null ? "" : " AND state = $state") + " ORDER BY id;";
            command.Parameters.AddWithValue("$owner", Owner);
            if (state is not null)
            {
                command.Parameters.AddWithValue("$state", (int)state);
            }

            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<OutboxEntry>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(ReadStored(reader).Entry);
            }

            return list;
        }, ct);

    /// <summary>Every account's entries of some states, oldest first, with their owner (for a person looking at the file).</summary>
    public Task<IReadOnlyList<(string Owner, OutboxEntry Entry)>> ListAllOwnersAsync(IReadOnlyCollection<OutboxState> states, CancellationToken ct) =>
        LockedAsync<IReadOnlyList<(string Owner, OutboxEntry Entry)>>(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns}, owner FROM outbox WHERE state IN ({string.Join(", ", states.Select(s => (int)s))}) ORDER BY id;";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<(string, OutboxEntry)>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add((reader.GetString(16), ReadStored(reader).Entry));
            }

            return list;
        }, ct);

    public Task<byte[]?> LoadMediaAsync(long id, CancellationToken ct) =>
        LockedAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT media FROM outbox WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as byte[];
        }, ct);

    public Task SetMediaUriAsync(long id, string uri, CancellationToken ct) =>
        UpdateAsync(id, "media_uri = $a", ct, uri);

    public Task SetPreparedAsync(long id, PreparedEvent prepared, CancellationToken ct) =>
        UpdateAsync(id, "prepared_type = $a, prepared_content = $b", ct, prepared.EventType, prepared.Content.ToJsonString());

    /// <summary>Sent: the media bytes, the content and the prepared body are dropped (the server holds the event now;
    /// the content may hold an attachment's key, which has no business staying on disk), the rest is kept as a record.</summary>
    public Task MarkSentAsync(long id, string eventId, CancellationToken ct) =>
        UpdateAsync(id, "state = 1, event_id = $a, error = NULL, media = NULL, prepared_content = NULL, content = '{}'", ct, eventId);

    public Task MarkFailedAsync(long id, string error, CancellationToken ct) =>
        UpdateAsync(id, "state = 2, error = $a, attempts = attempts + 1", ct, error);

    /// <summary>A failure that is not the entry's own (the homeserver away, or failing every entry alike): counted
    /// in <see cref="OutboxEntry.Attempts"/>, never towards making the entry stuck.</summary>
    public Task RecordTransientFailureAsync(long id, string error, CancellationToken ct) =>
        UpdateAsync(id, "error = $a, attempts = attempts + 1", ct, error);

    /// <summary>
    /// A failure that may be the entry's own: counted in <see cref="OutboxEntry.Attempts"/> and towards making it stuck,
    /// in the file, so that a restart goes on counting (an entry that always fails is not retried for ever by a gateway
    /// that restarts more often than the limit). Returns the own failures so far and the time of the first of them.
    /// </summary>
    public Task<(int OwnFailures, DateTimeOffset FailingSince)> RecordOwnFailureAsync(long id, string error, DateTimeOffset now, CancellationToken ct) =>
        LockedAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE outbox SET error = $error, attempts = attempts + 1, own_failures = own_failures + 1,
                                  failing_since = COALESCE(failing_since, $now), updated_at = $now
                WHERE id = $id AND owner = $owner
                RETURNING own_failures, failing_since;
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$owner", Owner);
            command.Parameters.AddWithValue("$error", error);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false)
                ? (reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)))
                : (0, now);
        }, ct);

    /// <summary>The oldest pending entry after <paramref name="id"/>, with what is needed to send it.</summary>
    public Task<StoredEntry?> NextPendingAfterAsync(long id, CancellationToken ct) =>
        LockedAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM outbox WHERE owner = $owner AND state = 0 AND id > $id ORDER BY id LIMIT 1;";
            command.Parameters.AddWithValue("$owner", Owner);
            command.Parameters.AddWithValue("$id", id);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadStored(reader) : null;
        }, ct);

    /// <summary>Stuck: kept whole (content, media, prepared body), out of the queue until someone puts it back.</summary>
    public Task MarkStuckAsync(long id, string error, CancellationToken ct) =>
        UpdateAsync(id, "state = 3, error = $a", ct, error);

    /// <summary>Puts a failed or stuck entry back in the queue (an operator's decision); it keeps its transaction id,
    /// and its count towards being stuck starts again. A store opened for every owner (<see cref="OutboxFile"/>) puts
    /// back any owner's entry. The outboxes sending from this file, in this process or another, are woken
    /// (<see cref="OutboxRequeueSignal"/>).</summary>
    public async Task<bool> RequeueAsync(long id, CancellationToken ct)
    {
        var requeued = await LockedAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE outbox SET state = 0, own_failures = 0, failing_since = NULL, updated_at = $now " +
                                  "WHERE id = $id AND ($owner IS NULL OR owner = $owner) AND state IN (2, 3);";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$owner", (object?)_owner ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, ct).ConfigureAwait(false);
        if (requeued)
        {
            OutboxRequeueSignal.Raise(DatabasePath);
        }

        return requeued;
    }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath { get; }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private Task UpdateAsync(long id, string set, CancellationToken ct, string a, string? b = null) =>
        LockedAsync(async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"UPDATE outbox SET {set}, updated_at = $now WHERE id = $id AND owner = $owner;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$owner", Owner);
            command.Parameters.AddWithValue("$a", a);
            if (b is not null)
            {
                command.Parameters.AddWithValue("$b", b);
            }

            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    private static StoredEntry ReadStored(SqliteDataReader r)
    {
        var entry = new OutboxEntry(
            r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
            (JsonObject)JsonNode.Parse(r.GetString(4))!,
            (OutboxState)r.GetInt32(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7),
            r.GetInt32(8),
            r.GetBoolean(9),
            r.IsDBNull(10) ? null : r.GetString(10));
        var prepared = r.IsDBNull(11) || r.IsDBNull(12)
            ? null
            : new PreparedEvent(r.GetString(11), (JsonObject)JsonNode.Parse(r.GetString(12))!);
        return new StoredEntry(entry, prepared,
            r.IsDBNull(13) ? "application/octet-stream" : r.GetString(13),
            r.IsDBNull(14) ? null : r.GetString(14),
            r.IsDBNull(15) ? null : r.GetString(15));
    }

    /// <summary>Pending entries hold message content in the clear: the file is created readable by its owner only
    /// (SQLite gives its WAL and shared-memory files the database file's permissions).</summary>
    private static void CreateOwnerOnly(string databasePath)
    {
        if (OperatingSystem.IsWindows() || File.Exists(databasePath))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var _ = new FileStream(databasePath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>An entry with the sending details the public record leaves out.</summary>
internal sealed record StoredEntry(OutboxEntry Entry, PreparedEvent? Prepared, string MediaContentType, string? MediaFileName,
    string? MediaUriPath);
