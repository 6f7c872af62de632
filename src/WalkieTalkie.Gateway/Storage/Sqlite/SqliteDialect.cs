using System.Data.Common;
using Microsoft.Data.Sqlite;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Storage.Sqlite;

/// <summary>SQLite's way of saying what differs (<see cref="SqlDialect"/>): its extended result codes, <c>INTEGER</c>, its two-argument <c>MAX</c>.</summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int ConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY
    private const int ConstraintUnique = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private const int ConstraintForeignKey = 787; // SQLITE_CONSTRAINT_FOREIGNKEY

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintPrimaryKey or ConstraintUnique };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintForeignKey };

    // INTEGER PRIMARY KEY is the rowid itself; AUTOINCREMENT keeps a deleted row's number from coming back.
    public override string Integer => "INTEGER";

    public override string SerialKey => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public override string Greatest => "MAX";
}
