using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// The migrations a squash replaces: a contiguous run of the context's migrations in id order (EF
/// Core's order), from FROM to TO inclusive, and the migration before it.
/// </summary>
/// <param name="PreviousId">The migration before FROM, or null when FROM is the first migration.</param>
/// <param name="MigrationIds">The replaced migrations, oldest first (two or more).</param>
public sealed record SquashRange(string? PreviousId, IReadOnlyList<string> MigrationIds)
{
    /// <summary>The first replaced migration.</summary>
    public string From => MigrationIds[0];

    /// <summary>The last replaced migration.</summary>
    public string To => MigrationIds[^1];

    /// <summary>
    /// Resolves FROM and TO (ids or names, as EF Core accepts them) to a range, and refuses a range
    /// that cannot be squashed: unknown or misordered migrations, a single migration, a range that
    /// holds a squashed migration whose replaced migrations are still in the code, or that overlaps
    /// the migrations one replaces.
    /// </summary>
    /// <param name="migrationsAssembly">EF Core's migrations assembly with every migration of the code (<see cref="CodeMigrations"/>).</param>
    /// <param name="from">The first migration to replace.</param>
    /// <param name="to">The last migration to replace.</param>
    /// <exception cref="SquashRefusedException">The range cannot be squashed; the message says why and what to do.</exception>
    public static SquashRange Resolve(IMigrationsAssembly migrationsAssembly, string from, string to)
    {
        var fromId = ResolveOne(migrationsAssembly, from, "FROM");
        var toId = ResolveOne(migrationsAssembly, to, "TO");
        var ids = migrationsAssembly.Migrations.Keys.ToList();
        var first = IndexOf(ids, fromId);
        var last = IndexOf(ids, toId);
        if (first > last)
        {
            throw new SquashRefusedException(SquashRefusalKind.Usage,
                $"FROM '{fromId}' comes after TO '{toId}' in the migrations' id order. Give the older migration first: dotnet safe-migrate squash {Name(toId)} {Name(fromId)}.");
        }

        if (first == last)
        {
            throw new SquashRefusedException(SquashRefusalKind.Usage,
                $"FROM and TO are the same migration, '{fromId}'; a squash replaces two or more. Give the first and the last migration of the range: dotnet safe-migrate squash <FROM> <TO> ('dotnet safe-migrate status' lists them).");
        }

        var range = ids.Skip(first).Take(last - first + 1).ToList();
        var squashes = migrationsAssembly.Migrations
            .Select(m => (Id: m.Key, Replaces: ReplacesAttributeLookup.ReplacedIds(m.Value)))
            .Where(m => m.Replaces is not null)
            .ToList();
        foreach (var (id, replaces) in squashes)
        {
            // A squashed migration whose originals are gone (finalized) is an ordinary migration now;
            // the runtime follows a squash of a squash. One whose originals are still here is not.
            if (range.Contains(id) && replaces!.Any(ids.Contains))
            {
                throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                    $"The range {fromId}..{toId} holds '{id}', a squashed migration (it replaces {Describe(replaces!)}). A squash cannot replace another one. " +
                    "Squash a range that ends before it or starts after it; to squash across it, first delete the migrations it replaces ('squash --finalize', later), then squash a range that includes it.");
            }

            var overlap = replaces!.Where(range.Contains).ToList();
            if (overlap.Count > 0)
            {
                throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                    $"The range {fromId}..{toId} overlaps the squashed migration '{id}', which already replaces {Describe(replaces!)} ({overlap.Count} of them in this range). " +
                    $"A migration can be replaced by one squash only. Choose a range outside {replaces![0]}..{replaces[^1]}.");
            }
        }

        return new SquashRange(first == 0 ? null : ids[first - 1], range);
    }

    private static string ResolveOne(IMigrationsAssembly migrationsAssembly, string value, string role)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SquashRefusedException(SquashRefusalKind.Usage,
                "Missing FROM or TO: dotnet safe-migrate squash <FROM> <TO> (the first and the last migration to replace, ids or names; e.g. 'dotnet safe-migrate squash AddProductSku AddUniqueSkuIndex').");
        }

        if (value == Migration.InitialDatabase)
        {
            throw new SquashRefusedException(SquashRefusalKind.Usage,
                $"{role} '0' is not a migration. Give a migration id or name; 'dotnet safe-migrate status' lists them.");
        }

        return migrationsAssembly.FindMigrationId(value) ?? throw new SquashRefusedException(SquashRefusalKind.Usage,
            $"{role}: the migration '{value}' was not found in the project's migrations. Give a migration id or name; 'dotnet safe-migrate status' lists them.");
    }

    private static int IndexOf(List<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Migration '{id}' was resolved but is not in the migrations assembly.");
    }

    private static string Name(string id) => SquashedMigrationName.NameOf(id);

    private static string Describe(IReadOnlyList<string> ids)
        => ids.Count == 0 ? "no migration" : ids.Count == 1 ? $"'{ids[0]}'" : $"{ids.Count} migrations, {ids[0]}..{ids[^1]}";
}
