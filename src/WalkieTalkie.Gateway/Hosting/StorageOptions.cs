using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Where the gateway keeps its tables (configuration section <c>Storage</c>): SQLite in the data folder (the
/// default), or a PostgreSQL database that several gateways share (<c>Storage:Provider = postgres</c> with
/// <c>Storage:ConnectionString</c>; in the environment <c>WALKIE_Storage__Provider</c> and <c>WALKIE_Storage__ConnectionString</c>).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The PostgreSQL connection string (Npgsql's form: <c>Host=…;Database=…;Username=…;Password=…</c>); unused on SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How often the registry's version (and on PostgreSQL the engine reports handed to the Matrix bridge) are read
    /// although nothing told of a change (seconds). Changes are pushed (PostgreSQL's <c>LISTEN</c>/<c>NOTIFY</c>, SQLite's
    /// watched <c>{file}.signals/registry-changed</c>) and read at once; this is the safety net. On SQLite without a
    /// watcher, <c>Gateway:ReloadSeconds</c> says how often the registry is read.
    /// </summary>
    [Range(1, 3600)]
    public double FallbackPollSeconds { get; set; } = DefaultFallbackPollSeconds;

    public const double DefaultFallbackPollSeconds = 30;

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgres && !string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Storage:Provider is '{Provider}': it is {Sqlite} or {Postgres}", [nameof(Provider)]);
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Storage:Provider is postgres but Storage:ConnectionString is missing (Host=…;Database=…;Username=…;Password=…)",
                [nameof(ConnectionString)]);
        }
    }
}
