using EfSafeMigrate.Graph;

namespace EfSafeMigrate.Integrity;

/// <summary>
/// The fast checks of one migrations folder, from files alone (no build): the integrity file
/// against the migrations' files (added, edited or removed without updating it), forks and
/// extra heads in the recorded parents, the head line, duplicate ids, migration classes EF Core
/// will never discover, and git conflict markers in the model snapshot or the integrity file.
/// Like Atlas's <c>migrate validate</c>, each finding says what, where and the fix.
/// </summary>
internal static class IntegrityChecker
{
    /// <summary>Checks one folder.</summary>
    /// <param name="folder">The folder (repository-relative, <c>/</c>-separated; empty for the root).</param>
    /// <param name="migrations">Migrations found in that folder.</param>
    /// <param name="snapshots">Model snapshots found in that folder.</param>
    /// <param name="sumText">Text of the folder's <c>safe-migrate.sum</c>; null when it does not exist.</param>
    /// <param name="context">Only this DbContext (short or full name); null for all.</param>
    /// <returns>Findings, errors and warnings, in a stable order (by code, then location).</returns>
    public static IReadOnlyList<Finding> Check(string folder, IReadOnlyList<MigrationSource> migrations, IReadOnlyList<ModelSnapshotSource> snapshots, string? sumText, string? context)
    {
        var findings = new List<Finding>();
        var sumPath = SumPath(folder);
        var contextToken = context is null ? null : context[(context.LastIndexOf('.') + 1)..];
        migrations = migrations.Where(m => contextToken is null || (m.Context ?? SumFile.NoContext) == contextToken || m.Id is null).ToList();
        snapshots = snapshots.Where(s => contextToken is null || s.Context == contextToken).ToList();

        foreach (var duplicate in migrations.Where(m => m.Id is not null).GroupBy(m => m.Id!).Where(g => g.Count() > 1))
        {
            findings.Add(new Finding(FindingCodes.DuplicateId, FindingSeverity.Error,
                $"Migration id '{duplicate.Key}' is declared by {duplicate.Count()} classes ({string.Join(", ", duplicate.Select(m => m.ClassName))}); EF Core fails on duplicate ids.",
                [duplicate.Key], duplicate.First().DeclarationFile, duplicate.First().DeclarationLine,
                $"Keep one of them; give the other a new id by removing it and adding it again: dotnet safe-migrate add <Name>. Files: {string.Join(", ", duplicate.SelectMany(m => m.Files))}."));
        }

        foreach (var orphan in migrations.Where(m => m.Id is null))
        {
            findings.Add(new Finding(FindingCodes.MissingMigrationAttribute, FindingSeverity.Error,
                $"Class '{orphan.ClassName}' derives from Migration but has no [Migration(\"<id>\")] attribute, so EF Core will never discover or apply it.",
                [], orphan.DeclarationFile, orphan.DeclarationLine,
                "Add [DbContext(typeof(<YourContext>))] and [Migration(\"<yyyyMMddHHmmss>_<Name>\")] to the class (EF Core puts them in the .Designer.cs file), or delete it if it is a leftover."));
        }

        foreach (var snapshot in snapshots.Where(s => s.ConflictMarkerLines.Count > 0))
        {
            findings.Add(new Finding(FindingCodes.SnapshotConflict, FindingSeverity.Error,
                $"The model snapshot has git conflict markers ({snapshot.ConflictMarkerLines.Count} line(s)): two branches changed the model.",
                [], snapshot.Path, snapshot.ConflictMarkerLines[0],
                "Do not merge the snapshot by hand: take either side (git checkout --theirs <snapshot>), then run " + MergeFix + ", which regenerates the snapshot from the merged model."));
        }

        var recorded = migrations.Where(m => m.Id is not null).DistinctBy(m => m.Id).ToList();
        if (sumText is null)
        {
            if (recorded.Count > 0)
            {
                findings.Add(new Finding(FindingCodes.SumFileMissing, FindingSeverity.Error,
                    $"The migrations folder has {recorded.Count} migration(s) but no {SumFile.FileName}, so edits and parallel branches cannot be detected.",
                    [], sumPath, null, "Create it: dotnet safe-migrate hash (and commit it)."));
            }

            return Sorted(findings);
        }

        SumFile sum;
        try
        {
            sum = SumFile.Parse(sumText);
        }
        catch (SumFileFormatException ex)
        {
            findings.Add(ex.IsConflict
                ? new Finding(FindingCodes.SumFileConflict, FindingSeverity.Error,
                    $"{SumFile.FileName} has git conflict markers: two branches each added a migration after the same parent.",
                    [], sumPath, ex.Line,
                    $"Do not edit it by hand: run " + MergeFix + ". Merge reads both sides of the conflict from the file as it is (or, when a side was picked, the other side's lines from git) and records both branches' migrations before it merges.")
                : new Finding(FindingCodes.SumFileMalformed, FindingSeverity.Error,
                    $"{SumFile.FileName} cannot be read: {ex.Reason}.",
                    [], sumPath, ex.Line, "Rewrite it from the migrations: dotnet safe-migrate hash."));
            return Sorted(findings);
        }

        var entries = sum.Entries.Where(e => contextToken is null || e.Context == contextToken).ToList();
        var entriesById = entries.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var migration in recorded)
        {
            if (!entriesById.TryGetValue(migration.Id!, out var entry))
            {
                findings.Add(new Finding(FindingCodes.MigrationNotRecorded, FindingSeverity.Error,
                    $"Migration '{migration.Id}' is not recorded in {SumFile.FileName}: it was added without updating the integrity file.",
                    [migration.Id!], migration.DeclarationFile, migration.DeclarationLine,
                    "After a git merge (the file resolved by picking one side): dotnet safe-migrate merge, which recovers the other side's recorded parents from git and merges. Otherwise record it: dotnet safe-migrate hash (migrations made with 'dotnet safe-migrate add' are recorded automatically)."));
            }
            else if (!string.Equals(entry.Hash, migration.Hash, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(FindingCodes.MigrationEdited, FindingSeverity.Error,
                    $"Migration '{migration.Id}' was edited after it was recorded ({sumPath}:{entry.Line} has another hash).",
                    [migration.Id!], migration.DeclarationFile, migration.DeclarationLine,
                    $"If it was never applied to a shared database and the edit is intended: dotnet safe-migrate hash. Otherwise undo the edit (git checkout -- {string.Join(" ", migration.Files)}) and put the change in a new migration (dotnet safe-migrate add <Name>)."));
            }
        }

        var present = recorded.Select(m => m.Id!).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => !present.Contains(e.Id)))
        {
            findings.Add(new Finding(FindingCodes.MigrationRemoved, FindingSeverity.Error,
                $"Migration '{entry.Id}' is recorded in {SumFile.FileName} but its files are gone.",
                [entry.Id], sumPath, entry.Line,
                $"Restore its files from git (git checkout -- {folder}), or, if it was removed on purpose and was never applied anywhere, run: dotnet safe-migrate hash."));
        }

        foreach (var group in entries.GroupBy(e => e.Context))
        {
            CheckGraph(group.Key, group.ToList(), sum.Heads.Where(h => h.Context == group.Key).ToList(), sumPath, findings);
        }

        return Sorted(findings);
    }

    /// <summary>
    /// The one fix every fork-related finding gives (SM104, SM105, SM111, the snapshot conflict), as the README's workflow
    /// says: <c>merge</c>, which writes a merge migration after both heads, or, when both branches touched the same table or
    /// column (merge refuses, naming them), <c>merge --rebase</c>, which moves this branch's migrations after the other's.
    /// </summary>
    public const string MergeFix =
        "'dotnet safe-migrate merge': it writes a merge migration that follows both branches' migrations; when both touched the same table or column it refuses and names them, then 'dotnet safe-migrate merge --rebase' moves your branch's migrations, oldest first, after the other's";

    /// <summary>Path of a folder's sum file.</summary>
    public static string SumPath(string folder) => folder.Length == 0 ? SumFile.FileName : folder + "/" + SumFile.FileName;

    private static void CheckGraph(string context, IReadOnlyList<SumEntry> entries, IReadOnlyList<SumHead> headLines, string sumPath, List<Finding> findings)
    {
        var graph = new MigrationGraph(entries.Select(e => (e.Id, e.Parents)));
        var lineOf = entries.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First().Line, StringComparer.Ordinal);
        var forks = graph.Forks;
        foreach (var (parent, children) in forks)
        {
            findings.Add(new Finding(FindingCodes.Fork, FindingSeverity.Error,
                $"Migrations {string.Join(" and ", children.Select(c => $"'{c}'"))} of {context} both follow {(parent == "0" ? "no migration (two initial migrations)" : $"'{parent}'")}: two branches each added a migration, and the later one's target model lacks the other's changes.",
                children, sumPath, lineOf[children[^1]],
                $"Run {MergeFix}, then 'dotnet safe-migrate check --build'."));
        }

        var heads = graph.Heads;
        if (heads.Count > 1 && forks.Count == 0)
        {
            findings.Add(new Finding(FindingCodes.MultipleHeads, FindingSeverity.Error,
                $"{context} has {heads.Count} heads ({string.Join(", ", heads)}): its migrations do not form one line.",
                heads, sumPath, lineOf[heads[^1]],
                $"Join them: run {MergeFix}."));
        }

        if (heads.Count == 1 && (headLines.Count != 1 || headLines[0].Id != heads[0]))
        {
            findings.Add(new Finding(FindingCodes.WrongHeadLine, FindingSeverity.Error,
                $"The head line of {context} should name '{heads[0]}'{(headLines.Count == 0 ? " but is missing" : $" but names {string.Join(", ", headLines.Select(h => $"'{h.Id}'"))}")}.",
                [heads[0]], sumPath, headLines.Count == 0 ? null : headLines[0].Line,
                "Rewrite it: dotnet safe-migrate hash."));
        }
    }

    private static IReadOnlyList<Finding> Sorted(List<Finding> findings)
        => findings.OrderBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ToList();
}
