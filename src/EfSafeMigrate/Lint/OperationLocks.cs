using EfSafeMigrate.Footprint;
using EfSafeMigrate.Lint.Rules;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint;

/// <summary>What one operation does to a table in PostgreSQL, for <c>plan</c>.</summary>
/// <param name="Operation">The operation, summarised (<see cref="Execution.OperationSummary"/>).</param>
/// <param name="Table">The table it locks, or null (schemas, sequences, unclassified SQL).</param>
/// <param name="Lock">The strongest table lock mode it takes (<see cref="LockModes"/>), or null.</param>
/// <param name="RewritesTable">True when the table is rewritten.</param>
/// <param name="ScansTable">True when every row is read under the lock.</param>
/// <param name="NewTable">True when the table was created earlier in the same migration (empty: the lock costs nothing).</param>
internal sealed record OperationLock(string Operation, string? Table, string? Lock, bool RewritesTable, bool ScansTable, bool NewTable);

/// <summary>
/// The lock mode, rewrite and scan of each EF Core migration operation on PostgreSQL, per PostgreSQL's
/// "Explicit Locking" table and <c>ALTER TABLE</c> documentation: most <c>ALTER TABLE</c> forms take
/// <c>ACCESS EXCLUSIVE</c>; <c>CREATE INDEX</c> takes <c>SHARE</c> (<c>CONCURRENTLY</c>: <c>SHARE UPDATE
/// EXCLUSIVE</c>); <c>ADD FOREIGN KEY</c> takes <c>SHARE ROW EXCLUSIVE</c>; data changes take
/// <c>ROW EXCLUSIVE</c>. The table is the one <see cref="Footprint.OperationFootprint.Table"/> names. Custom SQL is read with <see cref="SqlStatementClassifier"/> (the strongest
/// statement counts).
/// </summary>
internal static class OperationLocks
{
    /// <summary>One entry per operation, in order.</summary>
    public static IReadOnlyList<OperationLock> Describe(IReadOnlyList<MigrationOperation> operations)
    {
        var result = new List<OperationLock>();
        var created = new HashSet<TableRef>();
        foreach (var operation in operations)
        {
            var (table, mode, rewrites, scans) = Of(operation);
            var isNew = table is not null && created.Any(t => t.Name == table.Name && (t.Schema ?? "public") == (table.Schema ?? "public"));
            result.Add(new OperationLock(Execution.OperationSummary.Describe(operation), table?.ToString(), mode, rewrites, scans, isNew));
            if (operation is CreateTableOperation create)
            {
                created.Add(new TableRef(create.Schema, create.Name));
            }
        }

        return result;
    }

    private static (TableRef? Table, string? Lock, bool Rewrites, bool Scans) Of(MigrationOperation operation)
    {
        const string ae = LockModes.AccessExclusive;
        var table = OperationFootprint.Of(operation).Table is { } t ? new TableRef(t.Schema, t.Name) : null; // the table it acts on (a rename: the old name)
        return operation switch
        {
            CreateTableOperation => (table, ae, false, false),
            DropTableOperation => (table, ae, false, false),
            RenameTableOperation => (table, ae, false, false),
            AddColumnOperation o => (table, ae, AddColumnRewrite.RewriteReason(o) is not null, AddColumnRewrite.RewriteReason(o) is not null),
            DropColumnOperation => (table, ae, false, false),
            RenameColumnOperation => (table, ae, false, false),
            AlterColumnOperation o => AlterColumn(o, table),
            CreateIndexOperation o => (table, IndexWithoutConcurrently.IsConcurrent(o) ? LockModes.ShareUpdateExclusive : LockModes.Share, false, true),
            DropIndexOperation => (table, ae, false, false),
            RenameIndexOperation => (table, LockModes.ShareUpdateExclusive, false, false),
            AddForeignKeyOperation => (table, LockModes.ShareRowExclusive, false, true),
            DropForeignKeyOperation => (table, ae, false, false),
            AddPrimaryKeyOperation => (table, ae, false, true),
            DropPrimaryKeyOperation => (table, ae, false, false),
            AddUniqueConstraintOperation => (table, ae, false, true),
            DropUniqueConstraintOperation => (table, ae, false, false),
            AddCheckConstraintOperation => (table, ae, false, true),
            DropCheckConstraintOperation => (table, ae, false, false),
            InsertDataOperation => (table, LockModes.RowExclusive, false, false),
            UpdateDataOperation => (table, LockModes.RowExclusive, false, false),
            DeleteDataOperation => (table, LockModes.RowExclusive, false, false),
            SqlOperation o => Sql(o),
            _ => (null, null, false, false),
        };
    }

    private static (TableRef?, string?, bool, bool) AlterColumn(AlterColumnOperation o, TableRef? table)
    {
        var kind = ColumnTypeChange.Classify(o, out _);
        var rewrites = kind is TypeChangeKind.Rewrite or TypeChangeKind.Narrowing;
        var setNotNull = o.OldColumn.IsNullable && !o.IsNullable;
        return (table, LockModes.AccessExclusive, rewrites, rewrites || setNotNull);
    }

    private static (TableRef?, string?, bool, bool) Sql(SqlOperation operation)
    {
        (TableRef? Table, string? Lock, bool Rewrites, bool Scans) best = (null, null, false, false);
        foreach (var s in SqlStatementClassifier.Classify(operation.Sql))
        {
            (TableRef?, string?, bool, bool) current = s.Kind switch
            {
                SqlStatementKind.CreateIndex => (s.Table, s.Concurrently ? LockModes.ShareUpdateExclusive : LockModes.Share, false, true),
                SqlStatementKind.DropIndex => (s.Table, s.Concurrently ? LockModes.ShareUpdateExclusive : LockModes.AccessExclusive, false, false),
                SqlStatementKind.AddConstraint => (s.Table, s.Detail == "FOREIGN KEY" ? LockModes.ShareRowExclusive : LockModes.AccessExclusive, false, !s.NotValid && s.Detail?.Contains("USING INDEX") != true),
                SqlStatementKind.SetNotNull => (s.Table, LockModes.AccessExclusive, false, true),
                SqlStatementKind.AlterColumnType or SqlStatementKind.AddColumnRewrite => (s.Table, LockModes.AccessExclusive, true, true),
                SqlStatementKind.Update or SqlStatementKind.Delete => (s.Table, LockModes.RowExclusive, false, !s.HasWhere),
                SqlStatementKind.Insert => (s.Table, LockModes.RowExclusive, false, false),
                SqlStatementKind.LockingMaintenance => (s.Table, LockModes.AccessExclusive, s.Detail is "CLUSTER" || s.Detail?.StartsWith("VACUUM", StringComparison.Ordinal) == true, false),
                SqlStatementKind.Harmless when s.Table is not null => (s.Table, LockModes.AccessExclusive, false, false),
                _ => (null, null, false, false),
            };
            if (Rank(current.Item2) > Rank(best.Lock))
            {
                best = current;
            }
        }

        return best;
    }

    private static int Rank(string? mode) => mode switch
    {
        LockModes.AccessExclusive => 8,
        "EXCLUSIVE" => 7,
        LockModes.ShareRowExclusive => 6,
        LockModes.Share => 5,
        LockModes.ShareUpdateExclusive => 4,
        LockModes.RowExclusive => 3,
        null => 0,
        _ => 1,
    };
}
