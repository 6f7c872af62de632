namespace WalkieTalkie.Gateway.Storage.Postgres;

/// <summary>
/// The triggers that send <see cref="StoreTopics"/>' notifications: in the database, not in the stores' code, so that
/// every writer sends them (the CLI, a gateway of another version). A notification is sent by the trigger's
/// transaction and delivered only when it commits, so it never comes before its change can be read; and one
/// transaction's notifications of one topic are delivered once (same channel, same empty payload).
/// </summary>
internal static class PostgresChangeTriggers
{
    private const string RegistryTrigger = "walkie_registry_changed";
    private const string EngineReportsTrigger = "walkie_engine_reports_written";

    /// <summary>
    /// Makes the function and the triggers if they are not there yet, under the schema's advisory lock with the tables.
    /// The role that opens the database owns its tables already (PostgreSQL refuses even a <c>CREATE INDEX IF NOT EXISTS</c>
    /// of an index that is there to a role that does not), so it may.
    /// </summary>
    public const string Make = $$"""
        DO $do$
        BEGIN
            IF to_regprocedure('walkie_notify()') IS NULL THEN
                CREATE FUNCTION walkie_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM pg_notify(TG_ARGV[0], '');
                    RETURN NULL;
                END
                $fn$;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{{RegistryTrigger}}' AND tgrelid = 'meta'::regclass) THEN
                CREATE TRIGGER {{RegistryTrigger}} AFTER UPDATE ON meta FOR EACH ROW WHEN (NEW.key = 'config_version')
                    EXECUTE FUNCTION walkie_notify('{{StoreTopics.Registry}}');
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{{EngineReportsTrigger}}' AND tgrelid = 'bridge_engine_reports'::regclass) THEN
                CREATE TRIGGER {{EngineReportsTrigger}} AFTER INSERT ON bridge_engine_reports FOR EACH STATEMENT
                    EXECUTE FUNCTION walkie_notify('{{StoreTopics.EngineReports}}');
            END IF;
        END
        $do$;
        """;
}
