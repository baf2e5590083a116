using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>add NAME</c>: scaffolds a migration exactly as <c>dotnet ef migrations add</c> does (EF Core
/// Design writes the migration, designer and snapshot files), then records it in the folder's
/// <c>safe-migrate.sum</c>, following the previous head. Refuses (exit 1), before writing anything,
/// when the integrity file already disagrees with the migrations in a way rewriting it would hide.
/// </summary>
internal static class AddCommand
{
    // Findings that rewriting safe-migrate.sum would silently accept (edited or deleted migrations)
    // or that need a merge first. A missing file, unrecorded migrations and a stale head line are
    // what writing the file fixes, so they do not block.
    private static readonly HashSet<string> BlockingCodes = new(StringComparer.Ordinal)
    {
        FindingCodes.MigrationEdited, FindingCodes.MigrationRemoved, FindingCodes.Fork, FindingCodes.MultipleHeads,
        FindingCodes.DuplicateId, FindingCodes.SnapshotConflict, FindingCodes.SumFileMalformed, FindingCodes.SumFileConflict,
    };

    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Add a migration for the model's pending changes (as 'dotnet ef migrations add') and record it in safe-migrate.sum.";
        var name = command.Argument("<NAME>", "The name of the migration.");
        var outputDir = command.Option("-o|--output-dir <PATH>", "The folder to put the files in, relative to the project folder. Default: the previous migration's folder, else 'Migrations'.", CommandOptionType.SingleValue);
        var @namespace = command.Option("-n|--namespace <NAMESPACE>", "The namespace of the migration. Default: from the folder.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            if (string.IsNullOrWhiteSpace(name.Value))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    "Missing the migration's name: dotnet safe-migrate add <NAME> (e.g. 'dotnet safe-migrate add AddProductColour')."));
            }

            return CommandRunner.RunInProject(options, session =>
            {
                var reporter = session.Reporter;
                var files = MigrationFiles.For(session.ProjectDir);
                if (RefuseOnIntegrityErrors(files, options.Context.Value(), reporter, $"Not adding migration '{name.Value}'", tolerated: null) is { } refused)
                {
                    return Task.FromResult(refused);
                }

                var written = MigrationsOperationsFactory.AddMigration(
                    CommandRunner.Inner!, reporter, name.Value!, outputDir.Value(), options.Context.Value(), @namespace.Value());

                // An --output-dir outside the project folder gets its integrity file there.
                var migrationFolder = Path.GetDirectoryName(written.MigrationFile!)!;
                var inProject = !Path.GetRelativePath(session.ProjectDir, migrationFolder).StartsWith("..", StringComparison.Ordinal);
                var sumFiles = inProject ? files : MigrationFiles.For(migrationFolder);
                HashCommand.Write(sumFiles, reporter);
                WarnIfApartFromItsChain(sumFiles, Path.GetFileNameWithoutExtension(written.MigrationFile!), reporter);

                if (reporter.Json)
                {
                    reporter.JsonDocument(new { migrationFile = written.MigrationFile, metadataFile = written.MetadataFile, snapshotFile = written.SnapshotFile });
                }
                else
                {
                    reporter.Info("Done. To undo this action, use 'dotnet safe-migrate remove'");
                }

                return Task.FromResult(ExitCodes.Success);
            });
        });
    }

    // safe-migrate.sum is per folder: a migration put in another folder than its context's other
    // migrations (--output-dir) starts a chain of its own there, with no parent.
    private static void WarnIfApartFromItsChain(MigrationFiles files, string migrationId, Reporter reporter)
    {
        var folders = MigrationFolder.From(files.FromWorkingTree());
        var added = folders.SelectMany(f => f.Migrations).FirstOrDefault(m => m.Id == migrationId);
        if (added is null)
        {
            return;
        }

        var others = folders.Where(f => f.Folder != added.Folder && f.Migrations.Any(m => m.Context == added.Context)).Select(f => f.Folder).ToList();
        if (others.Count > 0)
        {
            reporter.Warning($"'{migrationId}' is in {added.Folder}, apart from the other migrations of {added.Context ?? "its DbContext"} ({string.Join(", ", others)}). " +
                $"{SumFile.FileName} is kept per folder, so it starts a new chain there with no parent, and 'check' cannot see forks across the folders. " +
                "To keep one chain: dotnet safe-migrate remove, then add it again without --output-dir.");
        }
    }

    /// <summary>
    /// The gate before <c>add</c> and <c>remove</c> rewrite an integrity file: runs the fast checks
    /// on the working tree and, when a finding would be hidden by the rewrite (an edited or
    /// deleted migration, a fork, several heads, a duplicate id, conflict markers, an unreadable
    /// file), prints the findings and returns exit code 1; otherwise returns null and prints nothing.
    /// </summary>
    /// <param name="files">The project's files.</param>
    /// <param name="context">The <c>--context</c> option, or null.</param>
    /// <param name="reporter">Output.</param>
    /// <param name="refusal">The start of the refusal message, e.g. <c>Not adding migration 'X'</c>.</param>
    /// <param name="tolerated">Findings the caller's own action resolves (e.g. an edit of the migration <c>remove</c> deletes), or null.</param>
    internal static int? RefuseOnIntegrityErrors(MigrationFiles files, string? context, Reporter reporter, string refusal, Func<Finding, bool>? tolerated)
    {
        var (findings, folders) = FastChecks.Run(files, staged: false, againstRef: null, context);
        var blocking = findings
            .Where(f => f.Severity == FindingSeverity.Error && BlockingCodes.Contains(f.Code))
            .Where(f => tolerated is null || !tolerated(f))
            .ToList();
        if (blocking.Count == 0)
        {
            return null;
        }

        FindingsPresenter.Present(reporter, blocking, $"{folders} migrations folder(s) under {Path.Combine(files.Root, files.Scope)}");
        reporter.Error($"{refusal}: the migrations and {SumFile.FileName} show the problem(s) above, which rewriting {SumFile.FileName} now would hide or make worse. Nothing was changed. " +
            "Fix them as each 'fix:' line says (an edit or a deletion that is intended is accepted with 'dotnet safe-migrate hash'), then run the command again.");
        return ExitCodes.ProblemsFound;
    }
}
