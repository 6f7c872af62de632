namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// The gateway's tables, the same in every database: the registry (badges, channels, memberships, permits, quiet
/// hours, emergencies), recordings and unplayed queues, what <c>walkie status</c> shows, zones, last talkers, the audit
/// trail, the web walkie's devices and accounts (they hang off the <c>badges</c> row of the device, so removing the
/// badge removes them) and the Matrix bridge's tables. Only the integer types differ (<see cref="SqlDialect.Integer"/>,
/// <see cref="SqlDialect.SerialKey"/>).
/// </summary>
public static class SqlSchema
{
    public static string Tables(SqlDialect dialect)
    {
        var integer = dialect.Integer;
        var serial = dialect.SerialKey;
        return $$"""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value {{integer}} NOT NULL);
        INSERT INTO meta VALUES ('config_version', 1) ON CONFLICT DO NOTHING;
        INSERT INTO meta VALUES ('next_burst_id', 1) ON CONFLICT DO NOTHING;
        CREATE TABLE IF NOT EXISTS badges (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL, priority {{integer}} NOT NULL DEFAULT 0,
            created_at {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS channels (
            number {{integer}} PRIMARY KEY, name TEXT NOT NULL, sample_rate {{integer}} NOT NULL, max_talk_seconds {{integer}} NOT NULL,
            retention_days {{integer}} NOT NULL DEFAULT 30);
        CREATE TABLE IF NOT EXISTS channel_options (
            channel {{integer}} PRIMARY KEY REFERENCES channels(number) ON DELETE CASCADE, end_tone {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS memberships (
            badge_id TEXT NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
            channel {{integer}} NOT NULL REFERENCES channels(number) ON DELETE CASCADE,
            PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS permits (
            badge_id TEXT NOT NULL REFERENCES badges(id) ON DELETE CASCADE, channel {{integer}} NOT NULL,
            offered {{integer}} NOT NULL, accepted {{integer}} NOT NULL, until {{integer}} NOT NULL, offered_by TEXT NOT NULL,
            offered_at {{integer}} NOT NULL, offer_sent {{integer}} NOT NULL DEFAULT 0, PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS recordings (
            burst_id {{integer}} PRIMARY KEY, channel {{integer}} NOT NULL, badge_id TEXT NOT NULL, started_at_ms {{integer}} NOT NULL,
            duration_ms {{integer}} NOT NULL DEFAULT 0, frames_received {{integer}} NOT NULL DEFAULT 0,
            frames_lost {{integer}} NOT NULL DEFAULT 0, complete {{integer}} NOT NULL DEFAULT 0, path TEXT NOT NULL,
            sample_rate {{integer}} NOT NULL, block_bytes {{integer}} NOT NULL DEFAULT 0, blocks_per_frame {{integer}} NOT NULL DEFAULT 1,
            end_reason {{integer}} NOT NULL DEFAULT 0, finished {{integer}} NOT NULL DEFAULT 0, pruned {{integer}} NOT NULL DEFAULT 0,
            private_to TEXT NOT NULL DEFAULT '');
        CREATE TABLE IF NOT EXISTS unplayed (
            badge_id TEXT NOT NULL, burst_id {{integer}} NOT NULL, queued_at {{integer}} NOT NULL, PRIMARY KEY (badge_id, burst_id));
        CREATE TABLE IF NOT EXISTS floor_decisions (
            id {{serial}}, at_ms {{integer}} NOT NULL, channel {{integer}} NOT NULL, badge_id TEXT NOT NULL,
            decision TEXT NOT NULL, reason TEXT NOT NULL, burst_id {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS floor_holders (
            channel {{integer}} PRIMARY KEY, badge_id TEXT NOT NULL, burst_id {{integer}} NOT NULL, since_ms {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS presence (
            badge_id TEXT PRIMARY KEY, state TEXT NOT NULL, until_s {{integer}} NOT NULL, last_seen_ms {{integer}} NOT NULL,
            battery_pct {{integer}} NOT NULL, rssi {{integer}} NOT NULL, firmware TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS quiet_schedules (
            id {{serial}}, scope TEXT NOT NULL, target TEXT NOT NULL, days {{integer}} NOT NULL,
            start_min {{integer}} NOT NULL, end_min {{integer}} NOT NULL, time_zone TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS do_not_disturb (badge_id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS zone_aps (bssid TEXT PRIMARY KEY, zone TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS badge_locations (
            badge_id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, bssid TEXT NOT NULL, rssi {{integer}} NOT NULL,
            at_ms {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS audit (
            id {{serial}}, at_ms {{integer}} NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL, action TEXT NOT NULL,
            target TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS emergencies (
            badge_id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, opened_at_ms {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS last_talkers (
            badge_id TEXT NOT NULL REFERENCES badges(id) ON DELETE CASCADE, channel {{integer}} NOT NULL, talker TEXT NOT NULL,
            at_ms {{integer}} NOT NULL, matrix_user_id TEXT NOT NULL DEFAULT '', PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS web_devices (
            id TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, kind TEXT NOT NULL, owner TEXT NOT NULL,
            matrix_device_id TEXT, created_at {{integer}} NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS web_devices_matrix ON web_devices (owner, matrix_device_id) WHERE kind = 'matrix';
        CREATE TABLE IF NOT EXISTS web_users (
            name TEXT PRIMARY KEY REFERENCES badges(id) ON DELETE CASCADE, password_hash TEXT NOT NULL, role TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS matrix_channel_links (
            channel TEXT PRIMARY KEY, room_id TEXT NOT NULL, granter_user_id TEXT NOT NULL, first_burst_id {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS matrix_badge_links (
            badge_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL, session_path TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_acknowledged (burst_id {{integer}} PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS bridge_sessions (
            channel TEXT PRIMARY KEY, root_txn TEXT NOT NULL, root_event TEXT, latest_txn TEXT NOT NULL,
            latest_event TEXT, last_ended_ms {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_burst_links (
            burst_id {{integer}} PRIMARY KEY, channel TEXT NOT NULL, txn TEXT, event_id TEXT, pending_receipts TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS bridge_burst_links_txn ON bridge_burst_links (txn);
        CREATE INDEX IF NOT EXISTS bridge_burst_links_event ON bridge_burst_links (event_id);
        CREATE TABLE IF NOT EXISTS bridge_outbox_map (
            txn TEXT PRIMARY KEY, user_id TEXT NOT NULL, outbox_entry_id {{integer}} NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_permit_seen (
            badge_id TEXT NOT NULL, channel TEXT NOT NULL, offered {{integer}} NOT NULL, accepted {{integer}} NOT NULL,
            until {{integer}} NOT NULL, grant_changed_ms {{integer}} NOT NULL, consent_changed_ms {{integer}} NOT NULL,
            PRIMARY KEY (badge_id, channel));
        CREATE TABLE IF NOT EXISTS bridge_direct_rooms (
            badge_id TEXT NOT NULL, user_id TEXT NOT NULL, room_id TEXT NOT NULL UNIQUE, channel {{integer}} NOT NULL,
            PRIMARY KEY (badge_id, user_id));
        CREATE TABLE IF NOT EXISTS bridge_incoming (
            seq {{serial}}, event_id TEXT NOT NULL UNIQUE, room_id TEXT NOT NULL, sender TEXT NOT NULL,
            sender_device TEXT, type TEXT NOT NULL, content TEXT NOT NULL, origin_ts {{integer}} NOT NULL, received_ms {{integer}} NOT NULL,
            attempts {{integer}} NOT NULL DEFAULT 0, next_attempt_ms {{integer}} NOT NULL DEFAULT 0, last_error TEXT,
            done_ms {{integer}}, outcome TEXT);
        CREATE INDEX IF NOT EXISTS bridge_incoming_pending ON bridge_incoming (done_ms, seq);
        CREATE TABLE IF NOT EXISTS bridge_engine_reports (
            id {{serial}}, kind TEXT NOT NULL, badge_id TEXT NOT NULL, text TEXT NOT NULL, number {{integer}} NOT NULL,
            at_ms {{integer}} NOT NULL, gateway_id TEXT NOT NULL);
        """;
    }
}
