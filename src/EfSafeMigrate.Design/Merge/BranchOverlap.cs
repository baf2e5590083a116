using System.Text.RegularExpressions;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Footprint;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Compares what the two branches of a fork changed, object by object (<see cref="OperationFootprint"/>):
/// an object is shared when both branches act on it and at least one changes it (both renamed
/// <c>Users.Email</c>; one dropped a column the other's index covers), and a table-level change
/// (create, drop, rename, alter) is shared with any operation on that table or its parts. Custom SQL
/// is read conservatively (<see cref="SqlWords"/>): its text is shared with every object of the other branch
/// whose table or name it mentions as a word (case-insensitively), and two SQL operations that mention the
/// same table are shared too. Two branches that share nothing can be merged with an empty merge migration.
/// </summary>
internal static class BranchOverlap
{
    /// <summary>The objects both branches act on, one entry per object and pair of migrations, in the order found.</summary>
    /// <param name="branchA">Branch A's migrations, oldest first.</param>
    /// <param name="branchB">Branch B's migrations, oldest first.</param>
    /// <param name="knownTables">Table names to look for in custom SQL besides those the branches touch (e.g. the model's tables).</param>
    public static IReadOnlyList<SharedObject> Find(IReadOnlyList<BranchMigration> branchA, IReadOnlyList<BranchMigration> branchB, IEnumerable<string> knownTables)
    {
        var touchesA = Touches(branchA);
        var touchesB = Touches(branchB);
        var shared = new List<SharedObject>();
        var seen = new HashSet<(SchemaObject, string, string)>();

        void Add(SchemaObject target, (string Migration, MigrationOperation Operation) a, (string Migration, MigrationOperation Operation) b)
        {
            if (seen.Add((target, a.Migration, b.Migration)))
            {
                shared.Add(new SharedObject(target, a.Migration, Describe(a.Operation), b.Migration, Describe(b.Operation)) { UpOperationA = a.Operation, UpOperationB = b.Operation });
            }
        }

        foreach (var a in touchesA)
        {
            foreach (var b in touchesB)
            {
                if (SharedBy(a.Touch, b.Touch) is { } target)
                {
                    Add(target, (a.Migration, a.Operation), (b.Migration, b.Operation));
                }
            }
        }

        var sqlA = SqlOperations(branchA);
        var sqlB = SqlOperations(branchB);
        foreach (var (migration, sql, words) in sqlA)
        {
            foreach (var b in touchesB.Where(b => b.Touch.Changes && words.Mentions(b.Touch.Object)))
            {
                Add(b.Touch.Object, (migration, sql), (b.Migration, b.Operation));
            }
        }

        foreach (var (migration, sql, words) in sqlB)
        {
            foreach (var a in touchesA.Where(a => a.Touch.Changes && words.Mentions(a.Touch.Object)))
            {
                Add(a.Touch.Object, (a.Migration, a.Operation), (migration, sql));
            }
        }

        var tables = knownTables
            .Concat(touchesA.Concat(touchesB).Select(t => t.Touch.Object.Table).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var (migrationA, a, wordsA) in sqlA)
        {
            foreach (var (migrationB, b, wordsB) in sqlB)
            {
                foreach (var table in tables.Where(t => wordsA.MentionsTable(t) && wordsB.MentionsTable(t)))
                {
                    Add(SchemaObject.ForTable(null, table), (migrationA, a), (migrationB, b));
                }
            }
        }

        return shared;
    }

    // The object two touches share, or null: the same object with at least one change, or a changed
    // table and anything on it.
    private static SchemaObject? SharedBy(ObjectTouch a, ObjectTouch b)
    {
        if (a.Object == b.Object && (a.Changes || b.Changes))
        {
            return a.Object;
        }

        if (a.Changes && a.Object.Kind == SchemaObjectKind.Table && b.Object.OwningTable == a.Object)
        {
            return a.Object;
        }

        if (b.Changes && b.Object.Kind == SchemaObjectKind.Table && a.Object.OwningTable == b.Object)
        {
            return b.Object;
        }

        return null;
    }

    private static List<(string Migration, MigrationOperation Operation, ObjectTouch Touch)> Touches(IReadOnlyList<BranchMigration> branch)
        => branch.SelectMany(m => m.UpOperations.SelectMany(o => OperationFootprint.Of(o).Touches.Select(t => (m.Id, o, t)))).ToList();

    private static List<(string Migration, SqlOperation Sql, OperationFootprint Words)> SqlOperations(IReadOnlyList<BranchMigration> branch)
        => branch.SelectMany(m => m.UpOperations.OfType<SqlOperation>().Select(o => (m.Id, o, OperationFootprint.Of(o)))).ToList();

    private static string Describe(MigrationOperation operation)
    {
        if (operation is not SqlOperation sql)
        {
            return OperationSummary.Describe(operation);
        }

        var text = Regex.Replace(sql.Sql.Trim(), @"\s+", " ");
        return "sql \"" + (text.Length > 60 ? text[..57] + "..." : text) + "\"";
    }
}
