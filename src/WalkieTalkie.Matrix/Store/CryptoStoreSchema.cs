namespace WalkieTalkie.Matrix.Store;

/// <summary>The key store's tables. Lookup columns hold public ids (room ids, session ids, Curve25519 public keys);
/// every value column holds a record sealed with the store key (AES-256-GCM, bound to its table and row).</summary>
internal static class CryptoStoreSchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS olm_sessions (sender_key TEXT NOT NULL, session_id TEXT NOT NULL, used INTEGER NOT NULL,
            state BLOB NOT NULL, PRIMARY KEY (sender_key, session_id));
        CREATE TABLE IF NOT EXISTS inbound_group_sessions (room_id TEXT NOT NULL, session_id TEXT NOT NULL, sender BLOB NOT NULL,
            state BLOB NOT NULL, PRIMARY KEY (room_id, session_id));
        CREATE TABLE IF NOT EXISTS outbound_group_sessions (room_id TEXT PRIMARY KEY, state BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS megolm_replay (room_id TEXT NOT NULL, session_id TEXT NOT NULL, message_index INTEGER NOT NULL,
            value BLOB NOT NULL, PRIMARY KEY (room_id, session_id, message_index));
        """;
}
