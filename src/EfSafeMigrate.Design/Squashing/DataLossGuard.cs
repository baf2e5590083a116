using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Refuses a squash whose recomputed operations drop a table or column that the range's own
/// migrations never drop. EF Core's model differ recognises a rename only when it can match the two
/// columns or tables; across a whole range (a rename, then other changes) it may see a drop and an
/// add instead, and a database before the range would lose that data where the original migrations
/// kept it. Renames inside the range are followed, so a table renamed then dropped is still found.
/// </summary>
public static class DataLossGuard
{
    /// <summary>Checks one direction of the squash.</summary>
    /// <param name="direction"><c>Up</c> or <c>Down</c>.</param>
    /// <param name="squashed">The recomputed schema operations of that direction.</param>
    /// <param name="original">The range's operations of that direction in the order they ran (Up: oldest migration first; Down: newest first), with their migration.</param>
    /// <exception cref="SquashRefusedException">A drop is not in the original migrations (<see cref="SquashRefusalKind.NotFromModels"/>: the squash can be built from the operations instead).</exception>
    public static void Check(string direction, IReadOnlyList<MigrationOperation> squashed, IReadOnlyList<(string MigrationId, MigrationOperation Operation)> original)
    {
        foreach (var operation in squashed)
        {
            switch (operation)
            {
                case DropTableOperation drop:
                {
                    var tables = TableNames(drop.Name, original);
                    if (!original.Any(o => o.Operation is DropTableOperation d && tables.Contains(d.Name)))
                    {
                        Refuse(direction, $"table {drop.Name}", original.FirstOrDefault(o => o.Operation is RenameTableOperation r && tables.Contains(r.Name)).MigrationId);
                    }

                    break;
                }

                case DropColumnOperation drop:
                {
                    var tables = TableNames(drop.Table, original);
                    var columns = ColumnNames(tables, drop.Name, original);
                    if (!original.Any(o => (o.Operation is DropColumnOperation d && tables.Contains(d.Table) && columns.Contains(d.Name))
                                           || (o.Operation is DropTableOperation t && tables.Contains(t.Name))))
                    {
                        Refuse(direction, $"column {drop.Table}.{drop.Name}",
                            original.FirstOrDefault(o => o.Operation is RenameColumnOperation r && tables.Contains(r.Table) && columns.Contains(r.Name)).MigrationId);
                    }

                    break;
                }
            }
        }
    }

    // The names a table has along the range: its name, then every name a rename gives it.
    private static HashSet<string> TableNames(string name, IReadOnlyList<(string MigrationId, MigrationOperation Operation)> original)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { name };
        foreach (var (_, operation) in original)
        {
            if (operation is RenameTableOperation rename && rename.NewName is not null && names.Contains(rename.Name))
            {
                names.Add(rename.NewName);
            }
        }

        return names;
    }

    private static HashSet<string> ColumnNames(HashSet<string> tables, string name, IReadOnlyList<(string MigrationId, MigrationOperation Operation)> original)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { name };
        foreach (var (_, operation) in original)
        {
            if (operation is RenameColumnOperation rename && tables.Contains(rename.Table) && names.Contains(rename.Name))
            {
                names.Add(rename.NewName);
            }
        }

        return names;
    }

    private static void Refuse(string direction, string what, string? renamedIn)
        => throw new SquashRefusedException(SquashRefusalKind.NotFromModels,
            $"The squashed {direction} would drop {what}, but no migration of the range drops it" +
            (renamedIn is null ? string.Empty : $" ('{renamedIn}' renames it)") +
            ": EF Core's model differ, comparing the models at both ends of the range, does not see it as the same object, and a database " +
            (direction == "Up" ? "before the range" : "at the end of the range") + " would lose its data where the original migrations keep it. " +
            (renamedIn is null
                ? "Squash a smaller range (one that the differ sees the same way as the original migrations)."
                : $"Squash a range that ends before '{renamedIn}' or starts with it or after it."));
}
