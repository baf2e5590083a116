using EfSafeMigrate.Design;
using EfSafeMigrate.Design.Merge;
using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Graph;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>merge</c>: after a git merge of two branches that each added migrations (<c>check</c> reports the
/// fork, SM104), writes a merge migration that follows both heads, as Django's
/// <c>makemigrations --merge</c> does. It finds the fork in <c>safe-migrate.sum</c> (two heads and their
/// newest common ancestor), proves that the two branches touch no common table, column, key, index
/// or foreign key (<see cref="BranchOverlap"/>) and that the code model is exactly their changes
/// together (<see cref="MergedModelCheck"/>), then writes, with EF Core Design's generators, a
/// migration with empty <c>Up</c>/<c>Down</c> whose target model is the code model, regenerates the
/// model snapshot, and records both parents in <c>safe-migrate.sum</c>. Exit 0 when written or when
/// there is nothing to merge; 1 when the branches cannot be merged as they are (nothing is written);
/// 2 for more than two heads and other cases merge does not handle. With <c>--rebase</c>, moves one branch's
/// only migration after the other head instead (<see cref="MigrationRebaser"/>) and renames it in the
/// history of the <c>--connection</c> database (<see cref="MigrationHistoryRenamer"/>).
/// </summary>
internal static partial class MergeOperations
{
    // Findings merge resolves (the fork, its two heads, the head line it rewrites); every other error blocks it.
    private static readonly HashSet<string> ResolvedCodes = new(StringComparer.Ordinal)
    {
        FindingCodes.Fork, FindingCodes.MultipleHeads, FindingCodes.WrongHeadLine,
    };

    /// <summary>
    /// The files-only check before the build (<c>safe-migrate.sum</c> and the migrations' sources): nothing to
    /// merge, integrity problems, and more than two heads need no build.
    /// </summary>
    /// <param name="projectDir">The migrations project's folder.</param>
    /// <param name="contextOption">The <c>--context</c> option, or null.</param>
    /// <param name="reporter">Output.</param>
    /// <returns>The exit code when the command is done; null when there is a fork to merge (go on and build).</returns>
    /// <exception cref="CommandException">More than two heads, or what merge does not handle (exit code 2).</exception>
    public static int? PreCheck(string projectDir, string? contextOption, Reporter reporter) => Refusals(() =>
    {
        var files = MigrationFiles.For(projectDir);
        if (RefuseOnIntegrityErrors(files, contextOption, reporter) is { } refused)
        {
            return refused;
        }

        var contextToken = contextOption is { } context ? context[(context.LastIndexOf('.') + 1)..] : null;
        var forked = ReadGraphs(files).Where(g => contextToken is null || g.Context == contextToken).Where(g => g.Graph.Heads.Count > 1).ToList();
        if (forked.Count == 1)
        {
            _ = MigrationForkFinder.Find(forked[0].Graph, forked[0].Context); // more than two heads: refused before the build
        }

        if (forked.Count > 0)
        {
            return (int?)null;
        }

        return NothingToMerge(reporter, $"the migrations under {Path.Combine(files.Root, files.Scope)} form one line{(contextToken is null ? string.Empty : $" for {contextToken}")}");
    });

    /// <summary>Writes the merge migration of the session's context, or refuses naming what the branches share.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextOption">The <c>--context</c> option, or null.</param>
    /// <param name="requestedName">The <c>--name</c> option, or null for <c>Merge&lt;NameA&gt;And&lt;NameB&gt;</c>.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">The branches cannot be merged as they are (exit code 1; nothing written), or what merge does not handle (exit code 2).</exception>
    public static int Merge(ProjectSession session, string? contextOption, string? requestedName) => Refusals(() =>
    {
        var reporter = session.Reporter;
        var files = MigrationFiles.For(session.ProjectDir);
        if (RefuseOnIntegrityErrors(files, contextOption, reporter) is { } refused)
        {
            return refused;
        }

        var contextName = session.Context.GetType().Name;
        var graphs = ReadGraphs(files).Where(g => g.Context == contextName && g.Graph.Heads.Count > 1).ToList();
        if (graphs.Count > 1)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"{contextName} has forked migrations in {graphs.Count} folders ({string.Join(", ", graphs.Select(g => g.Folder))}); merge handles one folder at a time. " +
                "Move the migrations of each line into one folder (EF Core finds them anywhere in the project), run 'dotnet safe-migrate hash', then run merge again.");
        }

        var fork = graphs.Count == 0 ? null : MigrationForkFinder.Find(graphs[0].Graph, contextName);

        if (fork is null)
        {
            var others = ReadGraphs(files).Where(g => g.Context != contextName && g.Graph.Heads.Count > 1).Select(g => g.Context).Distinct().ToList();
            return NothingToMerge(reporter, $"the migrations of {contextName} form one line" +
                (others.Count == 0 ? string.Empty : $"; {string.Join(", ", others)} {(others.Count == 1 ? "has" : "have")} a fork: dotnet safe-migrate merge --context <DbContext>"));
        }

        var describeFork = DescribeFork(contextName, fork);
        reporter.Detail($"{describeFork}.");
        var analysis = MergeAnalyzer.Analyze(session.Migrator, fork);

        if (!analysis.CanMerge)
        {
            if (reporter.Json)
            {
                reporter.JsonDocument(new MergeRefusedResult(
                    Merged: false,
                    contextName,
                    fork.Parent,
                    [fork.HeadA, fork.HeadB],
                    analysis.SharedObjects.Select(s => new SharedObjectResult(s.Object.Describe(), s.MigrationA, s.OperationA, s.MigrationB, s.OperationB)).ToList(),
                    analysis.ModelDifferences?.Extra ?? [],
                    analysis.ModelDifferences?.MissingFromBranchA ?? [],
                    analysis.ModelDifferences?.MissingFromBranchB ?? [],
                    analysis.ModelDifferences?.Other ?? []));
            }

            throw new CommandException(ExitCodes.ProblemsFound, analysis.SharedObjects.Count > 0
                ? SharedObjectsMessage(describeFork, fork, analysis.SharedObjects)
                : ModelDifferencesMessage(describeFork, fork, analysis.ModelDifferences!));
        }

        var idGenerator = session.Context.GetService<IMigrationsIdGenerator>();
        var name = requestedName ?? $"Merge{idGenerator.GetName(fork.HeadA)}And{idGenerator.GetName(fork.HeadB)}";
        ValidateName(session, name);
        var id = MergeMigrationId.Create(name, session.Migrator.Migrations, DateTime.UtcNow);

        var host = session.Design.Project;
        Microsoft.EntityFrameworkCore.Migrations.Design.MigrationFiles written;
        using (var services = session.Design.CreateDesignTimeServices(session.Context))
        {
            written = MergeMigrationWriter.Write(services, session.Context, new MergeMigrationRequest(id, name, fork, host.ProjectDir, host.RootNamespace));
        }

        var sumPath = RecordMerge(files, reporter, contextName, id, [fork.HeadA, fork.HeadB]);
        var cwd = Directory.GetCurrentDirectory();
        if (reporter.Json)
        {
            reporter.JsonDocument(new MergeResult(
                Merged: true, contextName, id, [fork.HeadA, fork.HeadB], fork.Parent, written.MigrationFile, written.MetadataFile, written.SnapshotFile, sumPath));
        }

        reporter.Info($"The two branches share no table, column, key, index or foreign key, and the code model is exactly their changes together.");
        reporter.Info($"Wrote merge migration '{id}' ({Path.GetRelativePath(cwd, written.MigrationFile!)}, {Path.GetFileName(written.MetadataFile)}; empty Up and Down) and regenerated {Path.GetRelativePath(cwd, written.SnapshotFile!)}.");
        reporter.Info($"Recorded '{id}' as following '{fork.HeadA}' and '{fork.HeadB}' in {Path.GetRelativePath(cwd, sumPath)}.");
        reporter.Success("Done. Commit the files; 'dotnet safe-migrate apply' brings any database (with either branch applied, or neither) to the merged model.");
        return ExitCodes.Success;
    });

    /// <summary>
    /// <c>merge --rebase</c>: moves the one migration of one branch after the other branch's head (<see cref="MigrationRebaser"/>)
    /// and, with a connection, renames it in that database's history (<see cref="MigrationHistoryRenamer"/>).
    /// </summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextOption">The <c>--context</c> option, or null.</param>
    /// <param name="connection">The <c>--connection</c> option, or null (then no database's history is renamed).</param>
    /// <param name="requested">The id or name of the migration to move.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">Nothing to rebase, not a head, a branch of several migrations, an unreachable database (exit code 2; nothing changed).</exception>
    public static int Rebase(ProjectSession session, string? contextOption, string? connection, string requested) => Refusals(() =>
    {
        var reporter = session.Reporter;
        var files = MigrationFiles.For(session.ProjectDir);
        if (RefuseOnIntegrityErrors(files, contextOption, reporter) is { } refused)
        {
            return refused;
        }

        var contextName = session.Context.GetType().Name;
        var fork = ForkToRebase(files, contextName);
        var idGenerator = session.Context.GetService<IMigrationsIdGenerator>();
        bool Matches(string id) => id == requested || idGenerator.GetName(id) == requested;
        var (moved, onto, branch) = Matches(fork.HeadA) ? (fork.HeadA, fork.HeadB, fork.BranchA)
            : Matches(fork.HeadB) ? (fork.HeadB, fork.HeadA, fork.BranchB)
            : throw new CommandException(ExitCodes.UsageError,
                $"'{requested}' is not a head of the fork of {contextName}: {DescribeFork(contextName, fork)}. Give the id or name of this branch's migration: dotnet safe-migrate merge --rebase <'{fork.HeadA}' or '{fork.HeadB}'>.");
        if (branch.Count != 1)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"Cannot rebase '{moved}' alone: its branch added {branch.Count} migrations since {(fork.Parent is null ? "the start" : $"'{fork.Parent}'")} ({string.Join(", ", branch)}), and they move together. Nothing was changed. " +
                "Move the whole branch, oldest first, after the other branch's head: dotnet safe-migrate merge --rebase [--connection <a database that applied them>] (without a migration name).");
        }

        var known = session.Migrator.Migrations.ToHashSet(StringComparer.Ordinal);
        if (!known.Contains(moved) || !known.Contains(onto))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"{SumFile.FileName} lists '{(known.Contains(moved) ? onto : moved)}', which the built assembly of {contextName} does not contain. Build the project (leave out --no-build), then run merge --rebase again.");
        }

        var ontoModel = session.Migrator.GetTargetModel(onto) ?? throw new CommandException(ExitCodes.UsageError,
            $"Migration '{onto}' has no designer file, so its target model, which the moved migration is scaffolded against, is unknown. Restore {onto}.Designer.cs from git, then run merge --rebase again.");

        // Read the database before any file changes, so that a connection problem changes nothing.
        var applied = false;
        if (!string.IsNullOrEmpty(connection))
        {
            try
            {
                applied = session.Migrator.GetAppliedMigrations().Contains(moved, StringComparer.Ordinal);
            }
            catch (Exception ex) when (DatabaseServices.IsConnectionError(ex))
            {
                throw new CommandException(ExitCodes.UsageError,
                    $"Cannot connect to {session.Database.Describe()} to rename '{moved}' in its history: {Execution.MigrationExecutionException.DatabaseError(ex)}. Nothing was changed. " +
                    "Check the connection string, or leave out --connection (and rename the history row of each database that applied it by hand).", ex);
            }
        }

        var name = idGenerator.GetName(moved);
        var newId = MergeMigrationId.Create(name, session.Migrator.Migrations, DateTime.UtcNow);

        // The moved migration's operations (its Sql(...) and other hand-written ones are kept), its parent's model, and what
        // the other branch does before it now; all read from the built assembly before any file changes.
        var (movedMigration, parentModel, otherBranch) = ReadRebaseInputs(session, moved, fork.Parent, Matches(fork.HeadA) ? fork.BranchB : fork.BranchA);
        var host = session.Design.Project;
        (Microsoft.EntityFrameworkCore.Migrations.Design.MigrationFiles Written, IReadOnlyList<string> Deleted, int UpOperations, IReadOnlyList<KeptOperation> Kept) result;
        using (var services = session.Design.CreateDesignTimeServices(session.Context))
        {
            result = MigrationRebaser.Rebase(services, session.Context, ontoModel, movedMigration, parentModel, otherBranch,
                new MigrationRebaseRequest(moved, newId, name, onto, host.ProjectDir, host.RootNamespace));
        }

        var sumPath = RecordRebase(files, reporter, contextName, moved, newId, onto);
        var cwd = Directory.GetCurrentDirectory();
        reporter.Info($"Moved '{moved}' after '{onto}': deleted {string.Join(", ", result.Deleted.Select(f => Path.GetRelativePath(cwd, f)))}.");
        reporter.Info($"Wrote '{newId}' ({Path.GetRelativePath(cwd, result.Written.MigrationFile!)}, {Path.GetFileName(result.Written.MetadataFile)}; Up: {result.UpOperations} operation(s) from '{onto}''s model to the code model) and regenerated {Path.GetRelativePath(cwd, result.Written.SnapshotFile!)}.");
        foreach (var kept in result.Kept)
        {
            reporter.Info($"Kept {kept} in its place in '{newId}'.");
        }
        reporter.Info($"Recorded '{newId}' as following '{onto}' in {Path.GetRelativePath(cwd, sumPath)}.");
        if (result.UpOperations == 0)
        {
            reporter.Warning($"'{newId}' has an empty Up: the code model is '{onto}''s target model, so this branch's change is already made by the other branch (or was dropped in the git merge). Check the model, or remove the migration (dotnet safe-migrate remove).");
        }

        var renamed = false;
        var journalRecorded = false;
        if (applied)
        {
            var checksum = MigrationSourceHashes.Of(files).TryGetValue(newId, out var hash) ? hash : null;
            (renamed, journalRecorded) = MigrationHistoryRenamer.Rename(session.Context, session.Database.CreateJournalProbe(), moved, newId, checksum, ToolInfo.Version);
            reporter.Info($"Renamed '{moved}' to '{newId}' in the migrations history of {session.Database.Describe()}" +
                (journalRecorded ? $" and recorded the rename in its journal (a '{JournalActions.Rebase}' row; the rows of '{moved}' are kept)" : string.Empty) + ": it is not applied again there.");
        }
        else if (!string.IsNullOrEmpty(connection))
        {
            reporter.Info($"{session.Database.Describe()} has not applied '{moved}'; its history is unchanged.");
        }

        if (reporter.Json)
        {
            reporter.JsonDocument(new RebaseResult(
                Rebased: true, contextName, moved, newId, onto, fork.Parent, result.Deleted, result.Written.MigrationFile, result.Written.MetadataFile,
                result.Written.SnapshotFile, sumPath, renamed, journalRecorded, result.Kept.Select(k => k.ToString()).ToList()));
        }

        reporter.Success($"Done. Commit the files. Any other database that applied '{moved}' must get the new id in its history before 'apply' (dotnet safe-migrate merge --rebase is run once; rename the row: UPDATE {BookkeepingTables.DelimitedHistoryTable(session.Context)} SET \"MigrationId\" = '{newId}' WHERE \"MigrationId\" = '{moved}').");
        return ExitCodes.Success;
    });

    // The moved migration as EF Core builds it, its parent's target model (null: none), and the other branch's Up operations.
    private static (RangeMigration Moved, IModel? ParentModel, IReadOnlyList<(string Id, IReadOnlyList<MigrationOperation> Up)> OtherBranch) ReadRebaseInputs(
        ProjectSession session, string moved, string? parent, IReadOnlyList<string> otherBranch)
    {
        try
        {
            var migration = RangeMigration.Load(session.Migrator, moved);
            var parentModel = parent is null ? null
                : session.Migrator.GetTargetModel(parent) ?? throw new CommandException(ExitCodes.UsageError,
                    $"Migration '{parent}', which both branches follow, has no designer file, so the model the moved migration was written against is unknown. Restore {parent}.Designer.cs from git, then run merge --rebase again. Nothing was changed.");
            var other = otherBranch.Select(id => (id, RangeMigration.Load(session.Migrator, id).Up)).ToList();
            return (migration, parentModel, other);
        }
        catch (SquashRefusedException ex)
        {
            throw new CommandException(ExitCodes.ProblemsFound, $"Cannot rebase '{moved}': {ex.Message} Nothing was changed.", ex);
        }
    }

    // Writes safe-migrate.sum without the moved migration and with its replacement following the other head; returns its full path.
    private static string RecordRebase(MigrationFiles files, Reporter reporter, string contextName, string movedId, string newId, string onto)
        => new SumFiles(files, reporter).Record(contextName, newId, [onto], replacedId: movedId)
           ?? throw new CommandException(ExitCodes.ProblemsFound,
               $"The migration '{newId}' was written but is not found under {Path.Combine(files.Root, files.Scope)}, so it was not recorded in {SumFile.FileName}. " +
               $"Record it by hand: in its folder's {SumFile.FileName}, give '{newId}' the parent {onto} and remove '{movedId}', then run 'dotnet safe-migrate check'.");

    // Runs the fast checks and refuses (exit 1) on any error other than the fork merge resolves. After a git merge, a
    // safe-migrate.sum with conflict markers, or resolved by picking one side, is first completed from git (SumFileRecovery).
    private static int? RefuseOnIntegrityErrors(MigrationFiles files, string? context, Reporter reporter)
    {
        var (findings, folders) = FastChecks.Run(files, staged: false, againstRef: null, context);
        if (findings.Any(f => f.Code is FindingCodes.SumFileConflict or FindingCodes.MigrationNotRecorded) && SumFileRecovery.Recover(files, reporter) > 0)
        {
            (findings, folders) = FastChecks.Run(files, staged: false, againstRef: null, context);
        }

        var blocking = findings.Where(f => f.Severity == FindingSeverity.Error && !ResolvedCodes.Contains(f.Code)).ToList();
        if (blocking.Count == 0)
        {
            return null;
        }

        FindingsPresenter.Present(reporter, blocking, $"{folders} migrations folder(s) under {Path.Combine(files.Root, files.Scope)}");
        reporter.Error($"Not merging: the migrations and {SumFile.FileName} show the problem(s) above, and merge needs the recorded parents to be complete and right. Nothing was changed. " +
            $"Fix them as each 'fix:' line says, then run 'dotnet safe-migrate merge' again (a conflicted {SumFile.FileName}, or one resolved by picking a side, needs nothing first: merge reads both sides from git)." +
            (blocking.Any(f => f.Code == FindingCodes.SnapshotConflict)
                ? " A model snapshot with conflict markers need not be merged by hand before merge: take either side (git checkout --ours -- <snapshot>); merge regenerates it from the merged model."
                : string.Empty));
        return ExitCodes.ProblemsFound;
    }

    private static int NothingToMerge(Reporter reporter, string why)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(new NothingToMergeResult(Merged: false, "nothing to merge"));
        }

        reporter.Success($"Nothing to merge: {why} (one head per DbContext).");
        return ExitCodes.Success;
    }

    // The migration graph of each context in each folder's safe-migrate.sum (unreadable files are reported by the fast checks).
    private static List<(string Folder, string Context, MigrationGraph Graph)> ReadGraphs(MigrationFiles files)
    {
        var graphs = new List<(string, string, MigrationGraph)>();
        foreach (var folder in MigrationFolder.From(files.FromWorkingTree()).Where(f => f.SumText is not null))
        {
            SumFile sum;
            try
            {
                sum = SumFile.Parse(folder.SumText!);
            }
            catch (SumFileFormatException)
            {
                continue;
            }

            foreach (var context in sum.Entries.GroupBy(e => e.Context, StringComparer.Ordinal))
            {
                graphs.Add((folder.Folder, context.Key, new MigrationGraph(context.Select(e => (e.Id, e.Parents)))));
            }
        }

        return graphs;
    }

    private static void ValidateName(ProjectSession session, string name)
    {
        if (!SyntaxFacts.IsValidIdentifier(name))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"'{name}' cannot be the merge migration's name: it is also its class name, so it must be a C# identifier (letters, digits and '_', not starting with a digit). Give another with --name.");
        }

        if (session.Context.GetService<IMigrationsAssembly>().FindMigrationId(name) is { } taken)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The name '{name}' is already used by migration '{taken}'. Give the merge migration another name: dotnet safe-migrate merge --name <Name>.");
        }
    }

    // Writes safe-migrate.sum with the merge migration following both heads; returns its full path.
    private static string RecordMerge(MigrationFiles files, Reporter reporter, string contextName, string id, IReadOnlyList<string> parents)
        => new SumFiles(files, reporter).Record(contextName, id, parents)
           ?? throw new CommandException(ExitCodes.ProblemsFound,
               $"The merge migration '{id}' was written but is not found under {Path.Combine(files.Root, files.Scope)}, so it was not recorded in {SumFile.FileName}. " +
               $"Record it by hand: in its folder's {SumFile.FileName}, give '{id}' the parents {string.Join('+', parents)}, then run 'dotnet safe-migrate check'.");

    private static string DescribeFork(string contextName, MigrationFork fork)
        => $"{contextName} has two heads after {(fork.Parent is null ? "no common migration" : $"'{fork.Parent}'")}: " +
           $"'{fork.HeadA}' ({Count(fork.BranchA)} on its branch) and '{fork.HeadB}' ({Count(fork.BranchB)} on its branch)";

    private static string Count(IReadOnlyList<string> branch) => branch.Count == 1 ? "1 migration" : $"{branch.Count} migrations: {string.Join(", ", branch)}";

    private static string SharedObjectsMessage(string describeFork, MigrationFork fork, IReadOnlyList<SharedObject> shared)
    {
        var newer = string.CompareOrdinal(fork.HeadA, fork.HeadB) > 0 ? fork.HeadA : fork.HeadB;
        var lines = new List<string>
        {
            $"Cannot merge: {describeFork}, and both branches changed the same object(s):",
        };
        lines.AddRange(shared.Select(s => "  - " + s.Describe()));
        lines.Add("An empty merge migration would leave a database that applied one branch different from one that applied the other. Nothing was changed.");
        lines.Add("Fix: move your branch's migrations after the other branch's: dotnet safe-migrate merge --rebase [--connection <a database that applied them>] " +
            $"(all of this branch's migrations, oldest first, each re-scaffolded on top of the other branch's model under a new id; during the git merge the other branch is MERGE_HEAD, else give it with --onto <branch>). One migration alone: dotnet safe-migrate merge --rebase <its id or name, e.g. '{newer}'>.");
        return string.Join(Environment.NewLine, lines);
    }

    private static string ModelDifferencesMessage(string describeFork, MigrationFork fork, MergedModelDifferences differences)
    {
        var lines = new List<string>
        {
            $"Cannot merge: {describeFork}, and the code model is not exactly the two branches' changes together:",
        };
        if (differences.Extra.Count > 0)
        {
            lines.Add($"  - changes no migration of either branch makes: {string.Join(", ", differences.Extra)}");
        }

        if (differences.MissingFromBranchA.Count > 0)
        {
            lines.Add($"  - changes of '{fork.HeadA}''s branch the code model lacks: {string.Join(", ", differences.MissingFromBranchA)}");
        }

        if (differences.MissingFromBranchB.Count > 0)
        {
            lines.Add($"  - changes of '{fork.HeadB}''s branch the code model lacks: {string.Join(", ", differences.MissingFromBranchB)}");
        }

        if (differences.Other.Count > 0 && differences.MissingFromBranchA.Count == 0 && differences.MissingFromBranchB.Count == 0)
        {
            lines.Add($"  - other differences between a head's target model and the code model: {string.Join(", ", differences.Other)}");
        }

        lines.Add("The merge migration's target model is the code model, so it may hold nothing but the two branches' changes. Nothing was changed.");
        if (differences.Extra.Count > 0)
        {
            lines.Add("Fix: add the further changes in a migration of their own, after the merge: set them aside (git stash, or undo the edits), run 'dotnet safe-migrate merge', bring them back, then run 'dotnet safe-migrate add <Name>'.");
        }

        if (differences.MissingFromBranchA.Count > 0 || differences.MissingFromBranchB.Count > 0 || (differences.Other.Count > 0 && differences.Extra.Count == 0))
        {
            lines.Add("Fix: the merge of the model's code lost a branch's changes; make the entity and configuration files hold both branches' changes (compare with each branch: git diff <branch> -- <file>), then run merge again.");
        }

        return string.Join(Environment.NewLine, lines);
    }

    // The library's refusals as the tool's exit codes: 1 for branches that cannot be merged as they are, 2 for what merge does not handle.
    private static T Refusals<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (MergeRefusedException ex)
        {
            throw new CommandException(ex.Refusal == MergeRefusal.Conflict ? ExitCodes.ProblemsFound : ExitCodes.UsageError, ex.Message, ex);
        }
    }
}
