using EfSafeMigrate.Design.Merge;
using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Git;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tool.Operations;

internal static partial class MergeOperations
{
    /// <summary>
    /// <c>merge --rebase</c> without a migration name: moves all of this branch's migrations, oldest first, after the
    /// other branch's head (<see cref="BranchRebaser"/>) and, with a connection, gives a database that applied them the
    /// new ids (<see cref="MigrationHistoryRenamer.RenameAll"/>). "This branch" is the side of the fork in
    /// <c>safe-migrate.sum</c> whose head the other side's commit does not have: the other side is <paramref name="ontoRef"/>
    /// (<c>--onto</c>), else <c>MERGE_HEAD</c> during a git merge, else the second parent of a merge commit at <c>HEAD</c>.
    /// </summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextOption">The <c>--context</c> option, or null.</param>
    /// <param name="connection">The <c>--connection</c> option, or null (then no database's history is renamed).</param>
    /// <param name="ontoRef">The <c>--onto</c> option (a git revision of the other branch), or null.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">Nothing to rebase, the other side cannot be told, an unreachable database (exit code 2), or the
    /// branch cannot be moved as it is (exit code 1); nothing changed.</exception>
    public static int RebaseBranch(ProjectSession session, string? contextOption, string? connection, string? ontoRef) => Refusals(() =>
    {
        var reporter = session.Reporter;
        var files = MigrationFiles.For(session.ProjectDir);
        if (RefuseOnIntegrityErrors(files, contextOption, reporter) is { } refused)
        {
            return refused;
        }

        var contextName = session.Context.GetType().Name;
        var fork = ForkToRebase(files, contextName);
        var (onto, branch, other, otherRef) = ThisBranch(files, fork, contextName, ontoRef);
        if (fork.Parent is null)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"Cannot rebase: the two lines of {contextName} share no migration (each starts with its own initial migration), so there is no model this branch started from. Nothing was changed. " +
                "Remove one line's migrations (dotnet safe-migrate remove) and add them again on top of the other (dotnet safe-migrate add <Name>).");
        }

        var known = session.Migrator.Migrations.ToHashSet(StringComparer.Ordinal);
        if (branch.Concat(other).FirstOrDefault(id => !known.Contains(id)) is { } missing)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"{SumFile.FileName} lists '{missing}', which the built assembly of {contextName} does not contain. Build the project (leave out --no-build), then run merge --rebase again.");
        }

        reporter.Detail($"{DescribeFork(contextName, fork)}; moving this branch's {branch.Count} migration(s) after '{onto}' (the other side: {otherRef}).");

        // Read the database before any file changes, so that a connection problem changes nothing.
        var applied = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(connection))
        {
            try
            {
                applied.UnionWith(session.Migrator.GetAppliedMigrations().Where(branch.Contains));
            }
            catch (Exception ex) when (DatabaseServices.IsConnectionError(ex))
            {
                throw new CommandException(ExitCodes.UsageError,
                    $"Cannot connect to {session.Database.Describe()} to give this branch's migrations their new ids in its history: {Execution.MigrationExecutionException.DatabaseError(ex)}. Nothing was changed. " +
                    "Check the connection string, or leave out --connection.", ex);
            }
        }

        var idGenerator = session.Context.GetService<IMigrationsIdGenerator>();
        var taken = session.Migrator.Migrations.ToList();
        var now = DateTime.UtcNow;
        var request = ReadBranchInputs(session, fork.Parent, onto, branch, other, name =>
        {
            var id = MergeMigrationId.Create(name, taken, now);
            taken.Add(id);
            return id;
        }, idGenerator, files);

        (IReadOnlyList<RebasedMigration> Migrations, IReadOnlyList<string> Deleted) result;
        using (var services = session.Design.CreateDesignTimeServices(session.Context))
        {
            result = BranchRebaser.Rebase(services, session.Context, request);
        }

        var cwd = Directory.GetCurrentDirectory();
        var sums = new SumFiles(files, reporter);
        string? sumPath = null;
        foreach (var moved in result.Migrations)
        {
            sumPath = sums.Record(contextName, moved.NewId, [moved.Parent], replacedId: moved.OldId) ?? throw new CommandException(ExitCodes.ProblemsFound,
                $"The migration '{moved.NewId}' was written but is not found under {Path.Combine(files.Root, files.Scope)}, so it was not recorded in {SumFile.FileName}. " +
                $"Record the moved migrations by hand: run 'dotnet safe-migrate hash', then 'dotnet safe-migrate check'.");
            reporter.Info($"Moved '{moved.OldId}' to '{moved.NewId}' after '{moved.Parent}' ({Path.GetRelativePath(cwd, moved.Written!.MigrationFile!)}, {Path.GetFileName(moved.Written.MetadataFile)}; Up: {moved.UpOperations} schema operation(s) from EF Core's model differ).");
            foreach (var kept in moved.Kept)
            {
                reporter.Info($"  kept {kept} in its place.");
            }
        }

        reporter.Info($"Deleted the old files: {string.Join(", ", result.Deleted.Select(f => Path.GetRelativePath(cwd, f)))}.");
        reporter.Info($"Regenerated {Path.GetRelativePath(cwd, result.Migrations[^1].Written!.SnapshotFile!)} and recorded the moved migrations after '{onto}' in {Path.GetRelativePath(cwd, sumPath!)}.");

        IReadOnlyList<string> renamed = [];
        var journalRecorded = false;
        if (applied.Count > 0)
        {
            var hashes = MigrationSourceHashes.Of(files);
            var renames = result.Migrations.Where(m => applied.Contains(m.OldId))
                .Select(m => (m.OldId, m.NewId, hashes.TryGetValue(m.NewId, out var hash) ? hash : null)).ToList();
            (renamed, journalRecorded) = MigrationHistoryRenamer.RenameAll(session.Context, session.Database.CreateJournalProbe(), renames, ToolInfo.Version);
            reporter.Info($"Gave the {renamed.Count} migration(s) of this branch that {session.Database.Describe()} had applied their new ids in its migrations history" +
                (journalRecorded ? $" and recorded each rename in its journal (a '{JournalActions.Rebase}' row each; the old rows are kept)" : string.Empty) +
                $": they are not applied again there; 'dotnet safe-migrate apply' applies the other branch's {other.Count} migration(s).");
        }
        else if (!string.IsNullOrEmpty(connection))
        {
            reporter.Info($"{session.Database.Describe()} has applied none of this branch's migrations; its history is unchanged.");
        }

        if (reporter.Json)
        {
            reporter.JsonDocument(new BranchRebaseResult(
                Rebased: true, contextName, onto, fork.Parent, otherRef,
                result.Migrations.Select(m => new RebasedMigrationResult(m.OldId, m.NewId, m.Parent, m.Written!.MigrationFile, m.Written.MetadataFile, renamed.Contains(m.OldId), m.Kept.Select(k => k.ToString()).ToList())).ToList(),
                result.Deleted, result.Migrations[^1].Written!.SnapshotFile, sumPath!, journalRecorded));
        }

        var stillToRename = result.Migrations.Where(m => !renamed.Contains(m.OldId)).ToList();
        var table = BookkeepingTables.DelimitedHistoryTable(session.Context);
        reporter.Success("Done. Commit the files. Any other database that applied this branch's migrations must get the new ids in its history before 'apply': " +
            string.Join(" ", result.Migrations.Select(m => $"UPDATE {table} SET \"MigrationId\" = '{m.NewId}' WHERE \"MigrationId\" = '{m.OldId}';")));
        return ExitCodes.Success;
    });

    // The fork of the context's one forked migrations folder (merge --rebase handles one folder at a time).
    private static MigrationFork ForkToRebase(MigrationFiles files, string contextName)
    {
        var graphs = ReadGraphs(files).Where(g => g.Context == contextName && g.Graph.Heads.Count > 1).ToList();
        if (graphs.Count != 1)
        {
            throw new CommandException(ExitCodes.UsageError, graphs.Count == 0
                ? $"Nothing to rebase: the migrations of {contextName} form one line (one head in {SumFile.FileName}). Nothing was changed."
                : $"{contextName} has forked migrations in {graphs.Count} folders ({string.Join(", ", graphs.Select(g => g.Folder))}); merge --rebase handles one folder at a time. Move the migrations of each line into one folder, run 'dotnet safe-migrate hash', then run merge --rebase again.");
        }

        return MigrationForkFinder.Find(graphs[0].Graph, contextName)!;
    }

    // The head the other side has (onto), this branch's migrations and the other branch's, oldest first, and how the other side was named.
    private static (string Onto, IReadOnlyList<string> Branch, IReadOnlyList<string> Other, string OtherRef) ThisBranch(
        MigrationFiles files, MigrationFork fork, string contextName, string? ontoRef)
    {
        var repository = files.Repository ?? throw new CommandException(ExitCodes.UsageError,
            $"merge --rebase without a migration name tells this branch's migrations from the other's with git, but {Path.Combine(files.Root, files.Scope)} is not in a git repository. " +
            "Name the migration to move (dotnet safe-migrate merge --rebase <id or name>). Nothing was changed.");
        var otherRef = ontoRef ?? OtherSideOfMerge(repository) ?? throw new CommandException(ExitCodes.UsageError,
            $"merge --rebase cannot tell which of the two lines of {contextName} is this branch's: no git merge is in progress (no MERGE_HEAD) and HEAD is not a merge commit. " +
            $"Name the other branch: dotnet safe-migrate merge --rebase --onto <branch or commit that has '{fork.HeadA}' or '{fork.HeadB}'>. Nothing was changed.");
        HashSet<string> there;
        try
        {
            there = MigrationFolder.From(files.FromCommit(otherRef)).SelectMany(f => f.Migrations).Select(m => m.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not CommandException)
        {
            throw new CommandException(ExitCodes.UsageError, $"Cannot read the migrations at '{otherRef}' from git: {ex.Message}. Give --onto a branch or commit that exists. Nothing was changed.", ex);
        }

        return (there.Contains(fork.HeadA), there.Contains(fork.HeadB)) switch
        {
            (true, false) => (fork.HeadA, fork.BranchB, fork.BranchA, otherRef),
            (false, true) => (fork.HeadB, fork.BranchA, fork.BranchB, otherRef),
            _ => throw new CommandException(ExitCodes.UsageError,
                $"merge --rebase cannot tell which line of {contextName} is this branch's: {otherRef} has {(there.Contains(fork.HeadA) ? "both heads" : "neither head")} ('{fork.HeadA}', '{fork.HeadB}'). " +
                $"Name the other branch, the one whose migrations stay: dotnet safe-migrate merge --rebase --onto <branch>. Nothing was changed."),
        };
    }

    // MERGE_HEAD during a git merge, else the second parent of a merge commit at HEAD, else null.
    private static string? OtherSideOfMerge(GitRepository repository)
    {
        if (File.Exists(Path.Combine(repository.GitFolder, "MERGE_HEAD")))
        {
            return "MERGE_HEAD";
        }

        var (code, output, _) = repository.RunText("rev-list", "--parents", "-n", "1", "HEAD");
        return code == 0 && output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3 ? "HEAD^2" : null;
    }

    // This branch's migrations, the common ancestor's and the other head's models, and the other branch's Up operations, read from
    // the built assembly before any file changes.
    private static BranchRebaseRequest ReadBranchInputs(
        ProjectSession session, string parent, string onto, IReadOnlyList<string> branch, IReadOnlyList<string> other,
        Func<string, string> newId, IMigrationsIdGenerator idGenerator, MigrationFiles files)
    {
        try
        {
            var parentModel = session.Migrator.GetTargetModel(parent) ?? throw NoDesigner(parent, "both branches follow");
            var ontoModel = session.Migrator.GetTargetModel(onto) ?? throw NoDesigner(onto, "is the other branch's head");
            var moved = branch.Select(id => (RangeMigration.Load(session.Migrator, id), newId(idGenerator.GetName(id)), idGenerator.GetName(id))).ToList();
            var otherUp = other.Select(id => (id, RangeMigration.Load(session.Migrator, id).Up)).ToList();
            var host = session.Design.Project;
            return new BranchRebaseRequest(moved, parentModel, onto, ontoModel, otherUp, (b, ours, theirs) => MergeFile(files, b, ours, theirs), host.ProjectDir, host.RootNamespace);
        }
        catch (SquashRefusedException ex)
        {
            throw new CommandException(ExitCodes.ProblemsFound, $"Cannot rebase: {ex.Message} Nothing was changed.", ex);
        }

        static CommandException NoDesigner(string id, string role) => new(ExitCodes.UsageError,
            $"Migration '{id}', which {role}, has no designer file, so its target model, which the moved migrations are rebuilt on, is unknown. Restore {id}.Designer.cs from git, then run merge --rebase again. Nothing was changed.");
    }

    // git merge-file of three texts (ours, base, theirs), in a temporary folder; null when they conflict.
    private static string? MergeFile(MigrationFiles files, string @base, string ours, string theirs)
    {
        var folder = Directory.CreateTempSubdirectory("safe-migrate-rebase-");
        try
        {
            var (oursPath, basePath, theirsPath) = (Path.Combine(folder.FullName, "ours"), Path.Combine(folder.FullName, "base"), Path.Combine(folder.FullName, "theirs"));
            File.WriteAllText(oursPath, ours);
            File.WriteAllText(basePath, @base);
            File.WriteAllText(theirsPath, theirs);
            var (code, output, error) = files.Repository!.RunText("merge-file", "-p", oursPath, basePath, theirsPath);
            return code switch
            {
                0 => output,
                > 0 => null,
                _ => throw new CommandException(ExitCodes.UsageError, $"git merge-file failed ({error.Trim()}) while rebuilding a moved migration's target model. Nothing was changed."),
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
