using System.Data.Common;

namespace WalkieTalkie.Gateway.Storage.Sql;

/// <summary>
/// What the stores' SQL cannot say the same way in SQLite and PostgreSQL: how each reports a broken constraint, the
/// integer column types and the name of the larger-of-two function. Everything else (upserts with <c>ON CONFLICT</c>, <c>RETURNING</c>,
/// <c>@name</c> parameters) both speak alike.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>A row with the same primary key or unique value exists already.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>A row names a row of another table that does not exist.</summary>
    public abstract bool IsForeignKeyViolation(DbException exception);

    /// <summary>The column type of a 64-bit integer.</summary>
    public abstract string Integer { get; }

    /// <summary>A 64-bit integer primary key the database numbers itself, never reusing a number.</summary>
    public abstract string SerialKey { get; }

    /// <summary>The scalar larger-of-two function: SQLite's two-argument <c>MAX</c>, PostgreSQL's <c>GREATEST</c>.</summary>
    public abstract string Greatest { get; }
}
