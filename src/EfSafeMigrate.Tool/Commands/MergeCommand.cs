using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>merge [--name NAME] | merge --rebase [MIGRATION] [--onto REF]</c>: after a git merge of two branches that each added
/// migrations, writes a merge migration that follows both heads, or moves this branch's migrations (all, or the one named) after the
/// other head (<see cref="MergeOperations"/>). The files-only pre-check runs before the build, so nothing to
/// merge and integrity problems need no build. Exit 0 when written or when there is nothing to merge; 1 when
/// the branches cannot be merged as they are (nothing is written); 2 for what merge does not handle.
/// </summary>
internal static class MergeCommand
{
    // Returned by the files-only pre-check when there is a fork to merge: go on and build.
    private const int Continue = -1;

    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "After a git merge of two branches that each added migrations: write a merge migration that follows both heads (empty Up/Down, regenerated snapshot) and record both parents in safe-migrate.sum (a safe-migrate.sum still in conflict, or resolved by picking one side, is completed from git first: MERGE_HEAD or the merge commit's parents). Refuses (exit 1) when both branches changed the same table or column; then --rebase moves this branch's migrations after the other branch's head instead (all of them, oldest first; or --rebase MIGRATION, one).";
        var name = command.Option("--name <NAME>", "The merge migration's name. Default: Merge<NameA>And<NameB>.", CommandOptionType.SingleValue);
        var rebase = command.Option("--rebase", "Instead of a merge migration, move this branch's migrations after the other branch's head, oldest first: same names, new ids, each one's Up re-scaffolded by EF Core's differ on top of the other branch's model, its Sql(...) and data operations kept in place. Without MIGRATION, all of this branch's migrations (the other branch: --onto, else MERGE_HEAD, else the merge commit's second parent); with MIGRATION (its id or name), that one, the only migration of its branch. With --connection, a database that applied them under the old ids gets the new ids.", CommandOptionType.NoValue);
        var migration = command.Argument("MIGRATION", "With --rebase: the id or name of the one migration to move (leave out to move the whole branch).");
        var onto = command.Option("--onto <REF>", "With --rebase: the git branch or commit of the other branch, whose migrations stay where they are. Default: MERGE_HEAD during a git merge, else the second parent of the merge commit at HEAD.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            if (!rebase.HasValue() && (migration.Value is not null || onto.HasValue()))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    migration.Value is not null
                        ? $"merge takes a migration only with --rebase: dotnet safe-migrate merge --rebase {migration.Value}."
                        : "--onto names the other branch for --rebase: dotnet safe-migrate merge --rebase --onto <branch>."));
            }

            if (migration.Value is not null && onto.HasValue())
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    $"--onto is for the rebase of a whole branch; a named migration ('{migration.Value}') is moved after the other head of the fork in safe-migrate.sum. Leave out one of them."));
            }

            if (options.Invocation.Inner is null)
            {
                // Files only, before the build: nothing to merge, or integrity problems, need no build.
                var early = CommandRunner.RunLocal(options, reporter =>
                    Task.FromResult(MergeOperations.PreCheck(CommandRunner.ProjectDirectory(options), options.Context.Value(), reporter) ?? Continue));
                if (early != Continue)
                {
                    return early;
                }
            }

            return !rebase.HasValue()
                ? CommandRunner.RunInProject(options, session => Task.FromResult(MergeOperations.Merge(session, options.Context.Value(), name.Value())))
                : migration.Value is { } named
                ? CommandRunner.RunInProject(options, session => Task.FromResult(MergeOperations.Rebase(session, options.Context.Value(), options.Connection.Value(), named)))
                : CommandRunner.RunInProject(options, session => Task.FromResult(MergeOperations.RebaseBranch(session, options.Context.Value(), options.Connection.Value(), onto.Value())));
        });
    }
}
