using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Linting;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>check</c>: finds migration conflicts and integrity problems. The default tier reads files
/// only and never builds (fast enough for a pre-commit hook); <c>--build</c> adds checks against
/// the built model; <c>--connection</c> (or <c>--database</c>) adds checks against a database.
/// Exit 0 when clean, 1 when it found errors, 2 on usage errors.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Check migrations for conflicts and integrity problems (fast: files only; --build: the model; --connection: a database). Exit 1 on findings.";
        var staged = command.Option("--staged", "Check the content staged in git's index instead of the working tree (for pre-commit hooks).", CommandOptionType.NoValue);
        var against = command.Option("--against <REF>", "Also compare with another ref (e.g. origin/main) from the merge base: forks to come and out-of-order ids.", CommandOptionType.SingleValue);
        var build = command.Option("--build", "Also build the project and check the model: pending model changes, stale snapshot, migrations that do not match their models.", CommandOptionType.NoValue);
        var database = command.Option("--database", "Also check the database the DbContext is configured for (implied by --connection).", CommandOptionType.NoValue);
        var schema = command.Option("--schema", "With --connection or --database: also compare the database's schema with the schema its applied migrations give, as 'verify' does (drift: SM404).", CommandOptionType.NoValue);
        var lint = LintSettings.Add(command);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            var context = options.Context.Value();
            if (schema.HasValue() && !database.HasValue() && !options.Connection.HasValue())
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError, "--schema compares a database: give --connection <CONNECTION> or --database."));
            }

            if (!build.HasValue() && !database.HasValue() && !options.Connection.HasValue())
            {
                return CommandRunner.RunLocal(options, reporter =>
                {
                    var files = MigrationFiles.For(ScopeFolder(options));
                    var (findings, folders) = FastChecks.Run(files, staged.HasValue(), against.Value(), context);
                    return Task.FromResult(FindingsPresenter.Present(reporter, findings, Describe(files, folders, staged.HasValue())));
                });
            }

            return CommandRunner.RunInProject(options, session =>
            {
                var files = MigrationFiles.For(session.ProjectDir);
                var (findings, folders) = FastChecks.Run(files, staged.HasValue(), against.Value(), context);
                var all = findings.ToList();
                var parents = RecordedParents(files);
                if (build.HasValue())
                {
                    all.AddRange(ModelTier.Run(session, files, parents, against.Value()));
                    all.AddRange(new SquashProofChecker(session.Migrator, () => SquashProofFactory.For(session, options, "check --build")).Check());
                    all.AddRange(LintChecks.Run(session, against.Value(), database.HasValue() || options.Connection.HasValue(), lint.ToOptions()));
                }

                if (database.HasValue() || options.Connection.HasValue())
                {
                    all.AddRange(new DatabaseConsistencyChecker(session.Migrator, MigrationSourceHashes.Of(files), new JournalReader(session.Context, session.Database.CreateJournalProbe())).Check());
                    if (schema.HasValue())
                    {
                        all.AddRange(DriftPresenter.Findings(SchemaVerification.Run(session, context).Report, session.Database.Describe()));
                    }
                }

                var scope = Describe(files, folders, staged.HasValue());
                if (database.HasValue() || options.Connection.HasValue())
                {
                    scope += $" and {session.Database.Describe()}";
                }

                return Task.FromResult(FindingsPresenter.Present(session.Reporter, all, scope));
            });
        });
    }

    /// <summary>The folder the fast checks scan: the project's folder with --project, else the current folder.</summary>
    public static string ScopeFolder(ProjectOptions options)
        => options.Project.HasValue() ? CommandRunner.ProjectDirectory(options) : Directory.GetCurrentDirectory();

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> RecordedParents(MigrationFiles files)
    {
        var parents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var folder in MigrationFolder.From(files.FromWorkingTree()).Where(f => f.SumText is not null))
        {
            try
            {
                foreach (var entry in SumFile.ParseMergingConflicts(folder.SumText!).Entries)
                {
                    parents[entry.Id] = entry.Parents;
                }
            }
            catch (SumFileFormatException)
            {
                // reported by the fast checks
            }
        }

        return parents;
    }

    private static string Describe(MigrationFiles files, int folders, bool staged)
        => $"{folders} migrations folder(s) under {Path.Combine(files.Root, files.Scope)}{(staged ? " (staged)" : string.Empty)}";
}
