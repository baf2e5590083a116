using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Git;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// After a git merge of two branches that each added migrations, completes <c>safe-migrate.sum</c> from git so that
/// <c>merge</c> needs no <c>hash</c> first: a file that still has conflict markers is read with both sides' lines
/// (<see cref="SumFile.ParseMergingConflicts"/>), and a migration the file does not record (the file was resolved by
/// picking one side) gets the parents the other side recorded, read with <c>git cat-file</c> from the sides of the
/// merge: <c>HEAD</c> and <c>MERGE_HEAD</c> while the merge is in progress, else the parents of the merge commit
/// <c>HEAD</c>. A recorded entry is taken only when its hash is the migration's hash now (an edited migration stays
/// unrecorded, and <c>check</c> says so). Nothing is written when there is nothing to recover.
/// </summary>
internal static class SumFileRecovery
{
    /// <summary>Recovers what git knows and rewrites the folders' files; says what it did.</summary>
    /// <param name="files">The migrations (working tree).</param>
    /// <param name="reporter">Where to say what was recovered.</param>
    /// <returns>How many folders' files were rewritten.</returns>
    /// <exception cref="CommandException">A file could not be written in a form its reader accepts (exit code 1).</exception>
    public static int Recover(MigrationFiles files, Reporter reporter)
    {
        var repository = files.Repository;
        var sides = repository is null ? [] : SidesOfMerge(repository);
        var sums = new SumFiles(files, reporter);
        var rewritten = 0;
        foreach (var folder in MigrationFolder.From(files.FromWorkingTree()).Where(f => f.SumText is not null && f.Migrations.Count > 0))
        {
            SumFile current;
            try
            {
                current = SumFile.ParseMergingConflicts(folder.SumText!);
            }
            catch (SumFileFormatException)
            {
                continue; // unreadable: check reports it
            }

            var sumPath = IntegrityChecker.SumPath(folder.Folder);
            var conflicted = HasConflictMarkers(folder.SumText!);
            var recorded = current.Entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            var unrecorded = folder.Migrations.Where(m => m.Id is not null && !recorded.Contains(m.Id)).DistinctBy(m => m.Id).ToList();
            var recovered = new List<(SumEntry Entry, string Side)>();
            if (unrecorded.Count > 0 && repository is not null)
            {
                foreach (var (revision, label) in sides)
                {
                    if (!repository.ReadAt(revision, [sumPath]).TryGetValue(sumPath, out var text))
                    {
                        continue;
                    }

                    SumFile side;
                    try
                    {
                        side = SumFile.ParseMergingConflicts(text);
                    }
                    catch (SumFileFormatException)
                    {
                        continue;
                    }

                    foreach (var migration in unrecorded.Where(m => recovered.All(r => r.Entry.Id != m.Id)))
                    {
                        if (side.Entries.FirstOrDefault(e => e.Id == migration.Id && string.Equals(e.Hash, migration.Hash, StringComparison.OrdinalIgnoreCase)) is { } entry)
                        {
                            recovered.Add((entry with { Line = 0 }, label));
                        }
                    }
                }
            }

            if (!conflicted && recovered.Count == 0)
            {
                continue;
            }

            var path = sums.WriteWith(folder, current, recovered.Select(r => r.Entry).ToList());
            rewritten++;
            if (conflicted)
            {
                reporter.Info($"Read both sides of the git conflict in {Relative(path)} (the migration lines of both branches are kept).");
            }

            foreach (var (entry, label) in recovered)
            {
                reporter.Info($"Recovered from git: '{entry.Id}' follows {(entry.Parents.Count == 0 ? "no migration" : string.Join(" and ", entry.Parents.Select(p => $"'{p}'")))}, as {sumPath} records it at {label}.");
            }

            reporter.Info($"Wrote {Relative(path)}.");
        }

        return rewritten;
    }

    // The commits whose safe-migrate.sum hold what each side recorded: HEAD and MERGE_HEAD during a merge, else the parents of a merge commit.
    private static List<(string Revision, string Label)> SidesOfMerge(GitRepository repository)
    {
        var mergeHead = Path.Combine(repository.GitFolder, "MERGE_HEAD");
        if (File.Exists(mergeHead))
        {
            var heads = File.ReadAllLines(mergeHead).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            return [("HEAD", "HEAD"), .. heads.Select((h, i) => (h, heads.Count == 1 ? $"MERGE_HEAD ({h[..Math.Min(12, h.Length)]})" : $"MERGE_HEAD {i + 1} ({h[..Math.Min(12, h.Length)]})"))];
        }

        var (code, output, _) = repository.RunText("rev-list", "--parents", "-n", "1", "HEAD");
        var commits = code == 0 ? output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        return commits.Length < 3 ? [] : commits.Skip(1).Select((c, i) => (c, $"HEAD^{i + 1} ({c[..Math.Min(12, c.Length)]})")).ToList();
    }

    private static bool HasConflictMarkers(string text)
    {
        try
        {
            _ = SumFile.Parse(text);
            return false;
        }
        catch (SumFileFormatException ex)
        {
            return ex.IsConflict;
        }
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
