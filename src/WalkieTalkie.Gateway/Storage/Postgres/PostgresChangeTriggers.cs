namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// The triggers that send <see cref="StoreTopics"/>' notifications: in the database, not in the stores' code, so that
/// every writer sends them (the CLI, a gateway of another version). A notification is sent by the trigger's
/// transaction and delivered only when it commits, so it never comes before its change can be read; and one
/// transaction's notifications of one topic are delivered once (same channel, same empty payload).
/// </summary>
internal static class PostgresChangeTriggers
{
    // Made under the schema's advisory lock with the tables; a trigger is made once (CREATE OR REPLACE TRIGGER needs
    // PostgreSQL 14), the function replaced at each start.
    public const string Sql = $$"""
        CREATE OR REPLACE FUNCTION walkie_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM pg_notify(TG_ARGV[0], '');
            RETURN NULL;
        END
        $fn$;
        DO $do$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'walkie_registry_changed' AND tgrelid = 'meta'::regclass) THEN
                CREATE TRIGGER walkie_registry_changed AFTER UPDATE ON meta FOR EACH ROW WHEN (NEW.key = 'config_version')
                    EXECUTE FUNCTION walkie_notify('{{StoreTopics.Registry}}');
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'walkie_engine_reports_written' AND tgrelid = 'bridge_engine_reports'::regclass) THEN
                CREATE TRIGGER walkie_engine_reports_written AFTER INSERT ON bridge_engine_reports FOR EACH STATEMENT
                    EXECUTE FUNCTION walkie_notify('{{StoreTopics.EngineReports}}');
            END IF;
        END
        $do$;
        """;
}
