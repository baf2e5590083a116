using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>merge [--name NAME] | merge --rebase MIGRATION</c>: after a git merge of two branches that each added
/// migrations, writes a merge migration that follows both heads, or moves one branch's migration after the
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
        command.Description = "After a git merge of two branches that each added migrations: write a merge migration that follows both heads (empty Up/Down, regenerated snapshot) and record both parents in safe-migrate.sum (a safe-migrate.sum still in conflict, or resolved by picking one side, is completed from git first: MERGE_HEAD or the merge commit's parents). Refuses (exit 1) when both branches changed the same table or column; then --rebase <MIGRATION> moves this branch's migration after the other branch's head instead.";
        var name = command.Option("--name <NAME>", "The merge migration's name. Default: Merge<NameA>And<NameB>.", CommandOptionType.SingleValue);
        var rebase = command.Option("--rebase <MIGRATION>", "Instead of a merge migration, move this branch's migration (its id or name; it must be the only migration of its branch) after the other branch's head: same name, new id, Up re-scaffolded from the other head's model to the code model. With --connection, a database that applied it under the old id gets the new id.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            if (rebase.HasValue() && string.IsNullOrWhiteSpace(rebase.Value()))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    "merge --rebase needs the migration to move: dotnet safe-migrate merge --rebase <id or name of this branch's migration>."));
            }

            if (CommandRunner.Inner is null)
            {
                // Files only, before the build: nothing to merge, or integrity problems, need no build.
                var early = CommandRunner.RunLocal(options, reporter =>
                    Task.FromResult(MergeOperations.PreCheck(CommandRunner.ProjectDirectory(options), options.Context.Value(), reporter) ?? Continue));
                if (early != Continue)
                {
                    return early;
                }
            }

            return rebase.HasValue()
                ? CommandRunner.RunInProject(options, session => Task.FromResult(MergeOperations.Rebase(session, options.Context.Value(), options.Connection.Value(), rebase.Value()!)))
                : CommandRunner.RunInProject(options, session => Task.FromResult(MergeOperations.Merge(session, options.Context.Value(), name.Value())));
        });
    }
}
