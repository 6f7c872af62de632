using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.Matrix.Sending;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>An outbox file written by an earlier version (without the columns of the count towards stuck) is taken
/// as it is: the columns are added at its first open and its pending entries go.</summary>
public sealed class OutboxEarlierFileTests() : OutboxFolder("wt-outbox-earlier-")
{
    [Fact]
    public async Task An_earlier_file_gets_the_new_columns_and_its_pending_entry_is_sent()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        var room = await anna.CreateRoomAsync(new JsonObject(), ct);
        var options = Options(anna);
        WriteEarlierFile(options.Owner, room, "wt-earlier-0001", "written by the earlier version");

        await using var outbox = new Outbox(anna, options);
        var pending = Assert.Single(await outbox.ListAsync(OutboxState.Pending, ct));
        Assert.Equal((2, "wt-earlier-0001"), (pending.Attempts, pending.TransactionId));
        outbox.Start();
        await WaitUntilAsync(() => MessageBodies(hs, room).Contains("written by the earlier version"), "the entry was sent");
        Assert.Equal(["own_failures", "failing_since"], ColumnsAdded());
    }

    // The table as the version before the count towards stuck was kept made it, with one pending entry tried twice.
    private void WriteEarlierFile(string owner, string room, string transaction, string body)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, room_id TEXT NOT NULL, txn_id TEXT NOT NULL UNIQUE,
                event_type TEXT NOT NULL, content TEXT NOT NULL, media BLOB NULL, media_content_type TEXT NULL,
                media_file_name TEXT NULL, media_uri_path TEXT NULL, media_uri TEXT NULL, prepared_type TEXT NULL,
                prepared_content TEXT NULL, state INTEGER NOT NULL DEFAULT 0, event_id TEXT NULL, error TEXT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
            CREATE INDEX outbox_pending ON outbox (owner, state, id);
            INSERT INTO outbox (owner, room_id, txn_id, event_type, content, error, attempts, created_at, updated_at)
            VALUES ($owner, $room, $txn, 'm.room.message', $content, 'M_UNKNOWN (simulated)', 2, 0, 0);
            """;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$txn", transaction);
        command.Parameters.AddWithValue("$content", Text(body).ToJsonString());
        command.ExecuteNonQuery();
    }

    private List<string> ColumnsAdded()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('outbox') WHERE name IN ('own_failures', 'failing_since') ORDER BY cid;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
