using Microsoft.Data.Sqlite;

namespace WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

/// <summary>
/// The bridge's tables in the gateway database: channel links, acknowledged bursts, walkie sessions, burst links and
/// the map from the bridge's transaction ids to outbox entries, the permit rows the mirror last saw, and the direct rooms of private replies. Written with <c>synchronous = FULL</c>: the ports
/// promise "durable when it returns".
/// </summary>
public static class BridgeSchema
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS matrix_channel_links (
            channel TEXT PRIMARY KEY, room_id TEXT NOT NULL, granter_user_id TEXT NOT NULL, first_burst_id INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS matrix_badge_links (
            badge_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL, session_path TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_acknowledged (burst_id INTEGER PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS bridge_sessions (
            channel TEXT PRIMARY KEY, root_txn TEXT NOT NULL, root_event TEXT, latest_txn TEXT NOT NULL,
            latest_event TEXT, last_ended_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_burst_links (
            burst_id INTEGER PRIMARY KEY, channel TEXT NOT NULL, txn TEXT, event_id TEXT, pending_receipts TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS bridge_burst_links_txn ON bridge_burst_links (txn);
        CREATE INDEX IF NOT EXISTS bridge_burst_links_event ON bridge_burst_links (event_id);
        CREATE TABLE IF NOT EXISTS bridge_outbox_map (
            txn TEXT PRIMARY KEY, user_id TEXT NOT NULL, outbox_entry_id INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_permit_seen (
            badge_id TEXT NOT NULL, channel TEXT NOT NULL, offered INTEGER NOT NULL, accepted INTEGER NOT NULL,
            until INTEGER NOT NULL, grant_changed_ms INTEGER NOT NULL, consent_changed_ms INTEGER NOT NULL,
            PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS bridge_direct_rooms (
            badge_id TEXT NOT NULL, user_id TEXT NOT NULL, room_id TEXT NOT NULL UNIQUE, channel INTEGER NOT NULL,
            PRIMARY KEY (badge_id, user_id));
        """;

    /// <summary>Opens a connection with the bridge's tables present and full synchronous commits.</summary>
    public static SqliteConnection Open(SqliteDatabase database)
    {
        var connection = database.Open();
        SqliteDatabase.Execute(connection, "PRAGMA synchronous = FULL;");
        SqliteDatabase.Execute(connection, Schema);
        return connection;
    }
}
