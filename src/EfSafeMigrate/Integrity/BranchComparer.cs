namespace EfSafeMigrate.Integrity;

/// <summary>
/// Compares this branch's migrations with another ref's, from their merge base (<c>check
/// --against origin/main</c>): migrations added on both sides since the merge base will fork
/// when the branches merge, and a migration of this branch whose id sorts before the newest
/// migration of the other ref would run out of order where the other ref is already deployed.
/// Migrations compare per folder and DbContext.
/// </summary>
internal static class BranchComparer
{
    /// <summary>Findings, per folder and context.</summary>
    /// <param name="otherRef">The other ref as the user named it (for messages).</param>
    /// <param name="ours">This branch's migrations (working tree or index).</param>
    /// <param name="theirs">The other ref's migrations.</param>
    /// <param name="mergeBase">The merge base's migrations.</param>
    /// <param name="context">Only this DbContext (short or full name); null for all.</param>
    public static IReadOnlyList<Finding> Compare(string otherRef, IReadOnlyList<MigrationSource> ours, IReadOnlyList<MigrationSource> theirs, IReadOnlyList<MigrationSource> mergeBase, string? context)
    {
        var contextToken = context is null ? null : context[(context.LastIndexOf('.') + 1)..];
        static string Key(MigrationSource m) => m.Folder + "\n" + (m.Context ?? SumFile.NoContext);
        var findings = new List<Finding>();
        var keys = ours.Concat(theirs).Where(m => m.Id is not null).Select(Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var contextName = key[(key.IndexOf('\n') + 1)..];
            if (contextToken is not null && contextName != contextToken)
            {
                continue;
            }

            var baseIds = Ids(mergeBase, key);
            var theirIds = Ids(theirs, key);
            var ourMigrations = ours.Where(m => m.Id is not null && Key(m) == key).DistinctBy(m => m.Id).ToList();
            var theirAdded = theirIds.Where(id => !baseIds.Contains(id)).Order(StringComparer.Ordinal).ToList();
            var ourAdded = ourMigrations.Where(m => !baseIds.Contains(m.Id!) && !theirIds.Contains(m.Id!)).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            if (theirAdded.Count > 0 && ourAdded.Count > 0)
            {
                var first = ourAdded[0];
                findings.Add(new Finding(FindingCodes.ForkAtMerge, FindingSeverity.Error,
                    $"Both this branch ({string.Join(", ", ourAdded.Select(m => $"'{m.Id}'"))}) and {otherRef} ({string.Join(", ", theirAdded.Select(id => $"'{id}'"))}) added migrations of {contextName} since their merge base: merging will fork the migrations, and the later one's target model will lack the other's changes.",
                    [.. ourAdded.Select(m => m.Id!), .. theirAdded], first.DeclarationFile, first.DeclarationLine,
                    $"Before merging, bring {otherRef} into this branch (git merge {otherRef} or git rebase {otherRef}), then remove this branch's migration(s) and add them again on top (dotnet safe-migrate remove, then dotnet safe-migrate add <Name>)."));
            }

            var newestTheirs = theirIds.Order(StringComparer.Ordinal).LastOrDefault();
            if (newestTheirs is null)
            {
                continue;
            }

            foreach (var early in ourAdded.Where(m => string.CompareOrdinal(m.Id, newestTheirs) < 0))
            {
                findings.Add(new Finding(FindingCodes.OutOfOrder, FindingSeverity.Error,
                    $"Migration '{early.Id}' of this branch sorts before '{newestTheirs}', the newest migration of {contextName} on {otherRef}: where {otherRef} is deployed it would run out of order (EF Core applies it after the newer one, against a model it was not made for).",
                    [early.Id!, newestTheirs], early.DeclarationFile, early.DeclarationLine,
                    $"Give it a newer id: bring {otherRef} into this branch (git merge {otherRef}), then run 'dotnet safe-migrate merge --rebase': it moves this branch's migrations, oldest first, after {otherRef}'s under new ids."));
            }
        }

        return findings;
    }

    /// <summary>
    /// Per folder and context, the migrations both sides added since the merge base (where <see cref="Compare"/> reports
    /// <see cref="FindingCodes.ForkAtMerge"/>), each side oldest first; the same selection as <see cref="Compare"/>.
    /// </summary>
    /// <param name="ours">This branch's migrations.</param>
    /// <param name="theirs">The other ref's migrations.</param>
    /// <param name="mergeBase">The merge base's migrations.</param>
    /// <param name="context">Only this DbContext (short or full name); null for all.</param>
    public static IReadOnlyList<(string Context, IReadOnlyList<MigrationSource> Ours, IReadOnlyList<MigrationSource> Theirs)> AddedOnBothSides(
        IReadOnlyList<MigrationSource> ours, IReadOnlyList<MigrationSource> theirs, IReadOnlyList<MigrationSource> mergeBase, string? context)
    {
        var contextToken = context is null ? null : context[(context.LastIndexOf('.') + 1)..];
        static string Key(MigrationSource m) => m.Folder + "\n" + (m.Context ?? SumFile.NoContext);
        var result = new List<(string, IReadOnlyList<MigrationSource>, IReadOnlyList<MigrationSource>)>();
        foreach (var key in ours.Concat(theirs).Where(m => m.Id is not null).Select(Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var contextName = key[(key.IndexOf('\n') + 1)..];
            if (contextToken is not null && contextName != contextToken)
            {
                continue;
            }

            var baseIds = Ids(mergeBase, key);
            var theirIds = Ids(theirs, key);
            var ourAdded = ours.Where(m => m.Id is not null && Key(m) == key && !baseIds.Contains(m.Id) && !theirIds.Contains(m.Id)).DistinctBy(m => m.Id).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            var theirAdded = theirs.Where(m => m.Id is not null && Key(m) == key && !baseIds.Contains(m.Id)).DistinctBy(m => m.Id).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            if (ourAdded.Count > 0 && theirAdded.Count > 0)
            {
                result.Add((contextName, ourAdded, theirAdded));
            }
        }

        return result;
    }

    private static HashSet<string> Ids(IReadOnlyList<MigrationSource> migrations, string key)
        => migrations.Where(m => m.Id is not null && m.Folder + "\n" + (m.Context ?? SumFile.NoContext) == key).Select(m => m.Id!).ToHashSet(StringComparer.Ordinal);
}
