using EfSafeMigrate.Runtime;
using EfSafeMigrate.Consistency;
#pragma warning disable EF1001 // OperationReporter is EF Core Design's, the one dotnet ef uses.
using EfSafeMigrate.Design;
using EfSafeMigrate.Design.Squash;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>squash FROM TO [--name NAME]</c>: writes one migration that replaces the range FROM..TO
/// (Django's <c>squashmigrations</c>). Its operations come from EF Core's model differ plus the
/// range's custom operations (<see cref="MigrationSquasher"/> states the rules), its files from EF
/// Core Design's C# generator with <c>[Replaces(...)]</c> beside <c>[Migration]</c>
/// (<see cref="SquashedMigrationWriter"/>); then <c>safe-migrate.sum</c> records it after the
/// last replaced migration, and the migration after TO follows it (<see cref="SquashSumUpdater"/>). The replaced migrations and the model snapshot
/// are left as they are. Refusals exit 2 (the request) or 1 (the range), before anything is written.
/// <c>squash --finalize [SQUASH]</c> later deletes the replaced migrations once no known database is
/// inside the range (<see cref="SquashFinalize"/>).
/// </summary>
internal static class SquashCommand
{
    private const string Rules = """

        The squashed migration's Up is EF Core's model differ from the model before FROM (the target
        model of the migration before it; an empty model when FROM is the first) to TO's target model,
        followed by the range's custom operations (Sql(...), hand-written InsertData/UpdateData/
        DeleteData, RestartSequence) in their original order. Its Down runs the custom Down operations
        first (newest migration first), then the differ's operations back. Its id is TO's timestamp
        and its name (default Squashed<FromName>To<ToName>, or <ToName>SquashedFrom<FromName> when that
        would sort before TO), so it sorts right after TO and before the migrations after it.

        The models' squash is not possible when a custom operation would see another schema than it was
        written for: an operation after it in the range creates, drops or renames a table, column or sequence
        it uses (SQL is read word by word), changes the type or nullability of such a column, or adds a
        required column to a table it inserts into; SQL creating an extension, type, domain or collation
        is followed by schema operations; a Down custom operation uses what an earlier Down operation
        creates or renames. Refused (nothing written): a migration without designer, a Down that throws,
        pending model changes, a range that holds or overlaps a squash, a project that does not
        reference the EfSafeMigrate library (the [Replaces] attribute needs it).

        Where the models' squash is not possible (a custom operation that cannot move after the schema operations, see
        above) or the designers disagree with what the migrations' code does (designers generated on other
        branches, schema operations the differ does not produce, a drop no migration does), the squash is
        built from the range's own operations in order instead (Up: every Up operation, oldest migration
        first; Down: every Down operation, newest migration first), so custom operations stay in place.

        Before anything is written the squash is proven: two scratch databases
        <database>_squashproof_<utc>_a and _b on the server of the DbContext's connection string (or
        --connection; that database itself is not changed) get the migrations before the range, then _a
        the original migrations and _b the squashed migration, and their catalogs (tables, columns with
        types, nullability and defaults, indexes, constraints, sequences, views, types, functions,
        triggers) are compared. Both are dropped afterwards. A squash built from the models that differs
        is built again from the operations; a squash that still differs is refused (exit 1) naming the
        objects. Without the privilege to create databases there, the squash exits 2.

        Databases before, inside and after the range stay correct once the application migrates through
        UseSafeMigrate(). Keep the replaced migrations until every database is past the range.

        squash --finalize [SQUASH] deletes the replaced migrations' files (migration and designer) of
        SQUASH (id or name of the squashed migration; default: every squash whose replaced migrations
        are still in the project), then rewrites safe-migrate.sum (the squashed migration then follows
        the migration before its range). It first checks the DbContext's database (its configured
        connection, or --connection) and every --also-connection <CS>: a database that has applied some,
        not all, of the replaced migrations (and not the squashed one) is inside the range, and would be
        refused by the code without them: finalizing is refused (exit 1, nothing deleted) until
        'dotnet safe-migrate apply' has brought it past the range. A database before the range will run
        the squashed migration; one after it counts it as applied. A database that cannot be reached
        refuses the finalize (exit 2) unless --force is given (then it is skipped, with a warning).
        Databases it is not told about are not checked: run it against each one (--connection or
        --also-connection) before deleting the files for good.
        """;

    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Squash a range of migrations into one that replaces them ([Replaces]), and record it in safe-migrate.sum.";
        command.ExtendedHelpText = Rules;
        var from = command.Argument("<FROM>", "The first migration to replace (id or name). With --finalize: SQUASH, the squashed migration to finalize (id or name; default: all).");
        var to = command.Argument("<TO>", "The last migration to replace (id or name).");
        var name = command.Option("--name <NAME>", "The squashed migration's name. Default: Squashed<FromName>To<ToName> (<ToName>SquashedFrom<FromName> when that would sort before TO).", CommandOptionType.SingleValue);
        var finalize = command.Option("--finalize", "Instead of squashing: delete the migrations a squashed migration replaces ('squash --finalize [SQUASH]'; default: every squash whose replaced migrations are still in the project), once no checked database is inside its range.", CommandOptionType.NoValue);
        var alsoConnection = command.Option("--also-connection <CONNECTION>", "With --finalize: another database to check before deleting (repeatable).", CommandOptionType.MultipleValue);
        var force = command.Option("-f|--force", "With --finalize: finalize even when a database cannot be reached (it is not checked; printed as a warning).", CommandOptionType.NoValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            if (finalize.HasValue())
            {
                var misuse = !string.IsNullOrWhiteSpace(to.Value) ? $"'{to.Value}': --finalize takes one migration, the squashed migration (SQUASH), not a range."
                    : name.HasValue() ? "--name is for writing a squash; --finalize deletes the migrations an existing squash replaces."
                    : null;
                if (misuse is not null)
                {
                    return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                        $"{misuse} Usage: dotnet safe-migrate squash --finalize [SQUASH] [--also-connection CS]... [--force] (SQUASH: the squashed migration's id or name; default: every squash whose replaced migrations are still in the project)."));
                }

                var squash = string.IsNullOrWhiteSpace(from.Value) ? null : from.Value.Trim();
                return CommandRunner.RunInProject(options, session => Task.FromResult(SquashFinalize.Run(session, options, squash, alsoConnection.Values.OfType<string>().ToList(), force.HasValue())));
            }

            if (alsoConnection.HasValue() || force.HasValue())
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    $"{(force.HasValue() ? "--force" : "--also-connection")} is an option of 'squash --finalize' only; writing a squash checks no database. Usage: dotnet safe-migrate squash --finalize [SQUASH] [--also-connection CS]... [--force]."));
            }

            if (string.IsNullOrWhiteSpace(from.Value) || string.IsNullOrWhiteSpace(to.Value))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    "Missing FROM or TO: dotnet safe-migrate squash <FROM> <TO> [--name NAME], the first and the last migration to replace (e.g. 'dotnet safe-migrate squash AddProductSku AddUniqueSkuIndex'). 'dotnet safe-migrate status' lists them."));
            }

            return CommandRunner.RunInProject(options, session => Task.FromResult(Run(session, options, from.Value!, to.Value!, name.Value())));
        });
    }

    private static int Run(ProjectSession session, ProjectOptions options, string from, string to, string? name)
    {
        var reporter = session.Reporter;
        var host = CommandRunner.Inner!;
        var assembly = AppAssemblyResolver.Load(host.Assembly);
        if (!LibraryReference.IsReferenced(assembly, host.Project))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The project '{host.Project}' does not reference the {LibraryReference.Name} library, which the squashed migration's [Replaces] attribute needs to compile " +
                $"(and which the application needs to call UseSafeMigrate()). Nothing was changed. Add the reference first (dotnet add \"{host.Project}\" package {LibraryReference.Name}, " +
                $"or a ProjectReference to {LibraryReference.Name}.csproj), then run the squash again.");
        }

        var files = MigrationFiles.For(session.ProjectDir);
        var squashIds = CodeMigrations.Of(session.Context).Migrations
            .Where(m => ReplacesAttributeLookup.ReplacedIds(m.Value) is not null).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        if (AddCommand.RefuseOnIntegrityErrors(files, options.Context.Value(), reporter, $"Not squashing {from}..{to}", f => ExplainedBySquash(f, squashIds)) is { } refused)
        {
            return refused;
        }

        var startupAssembly = host.StartupAssembly == host.Assembly ? assembly : AppAssemblyResolver.Load(host.StartupAssembly);
        var operationReporter = new OperationReporter(new OperationReportHandler(
            errorHandler: reporter.Detail, warningHandler: reporter.Warning, informationHandler: reporter.Info, verboseHandler: reporter.Detail));
        using var design = DesignTimeServices.For(session.Context, assembly, startupAssembly, operationReporter);

        SquashPlan plan;
        SquashProofResult proof;
        SquashedMigrationFiles written;
        try
        {
            var squasher = new MigrationSquasher(session.Migrator, design);
            try
            {
                plan = squasher.Plan(from, to, name);
            }
            catch (SquashRefusedException ex) when (ex.Kind != SquashRefusalKind.Usage)
            {
                // The models cannot give this range (they disagree with the code, or custom operations cannot move after
                // the differ's operations): its own operations can, in their places. What stops both (a migration without
                // designer, a Down that throws, pending model changes, ...) PlanFromOperations refuses again.
                plan = squasher.PlanFromOperations(from, to, name);
                reporter.Info($"{ex.Message}{Environment.NewLine}So the squash is built from the migrations' own operations, in order (custom operations stay where they are), instead of from the models, and proven.");
            }

            var prover = SquashProofFactory.For(session, options, "squash");
            var codeMigrations = SquashEquivalenceProof.OriginalsOnly(session.Migrator);
            proof = Prove(prover, codeMigrations, plan, reporter);
            if (!proof.Identical && !plan.FromOperations)
            {
                reporter.Warning($"The squash built from EF Core's model differ (the model before {plan.Range.From} to the target model of {plan.Range.To}) does not give the schema the original migrations give " +
                                 $"(their designers disagree with what their code does):{Environment.NewLine}" + string.Join(Environment.NewLine, proof.Describe().Select(l => "  - " + l)) +
                                 $"{Environment.NewLine}So the squash is built from the migrations' own operations, in order, instead, and proven again.");
                var fallback = squasher.PlanFromOperations(from, to, name);
                var fallbackProof = Prove(prover, codeMigrations, fallback, reporter);
                (plan, proof) = (fallback, fallbackProof);
            }

            if (!proof.Identical)
            {
                throw new CommandException(ExitCodes.ProblemsFound,
                    $"The squash of {plan.Range.From}..{plan.Range.To} is refused: on scratch databases on {proof.Server} that started from the same schema (the migrations before the range), " +
                    $"the squashed migration{(plan.FromOperations ? " (built from the migrations' own operations)" : string.Empty)} does not give the schema the original migrations give:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, proof.Describe().Select(l => "  - " + l)) + Environment.NewLine +
                    $"Squash a smaller range (one that leaves out the migration that makes the difference), or fix the migrations first. Nothing was changed.");
            }

            reporter.Info($"Proven: the squashed migration gives the schema the {plan.Range.MigrationIds.Count} original migrations give (scratch databases {string.Join(" and ", proof.Databases.Select(d => $"\"{d}\""))} on {proof.Server}, dropped).");
            written = SquashedMigrationWriter.Write(design, plan, session.Context.GetType(), FolderOf(files, session.ProjectDir, plan.Range.From));
        }
        catch (SquashRefusedException ex)
        {
            throw new CommandException(ex.Kind == SquashRefusalKind.Usage ? ExitCodes.UsageError : ExitCodes.ProblemsFound, ex.Message + " Nothing was changed.", ex);
        }

        foreach (var warning in plan.Warnings)
        {
            reporter.Warning(warning);
        }

        ReportWritten(reporter, plan, written);
        WriteSum(files, plan, reporter);
        ReportDone(reporter, plan, written);
        return ExitCodes.Success;
    }

    // The proof on scratch databases; a server that refuses them is a configuration problem (exit 2), not a verdict.
    private static SquashProofResult Prove(SquashEquivalenceProof prover, IReadOnlyList<string> codeMigrations, SquashPlan plan, Reporter reporter)
    {
        try
        {
            return prover.Prove(codeMigrations, plan.Range.MigrationIds, plan.Up, plan.TargetModel);
        }
        catch (Exception ex) when (ex is not CommandException and not SquashRefusedException)
        {
            reporter.Detail(ex.ToString());
            throw new CommandException(ExitCodes.UsageError,
                $"The squash could not be proven: preparing the scratch databases failed ({ex.GetBaseException().Message}). The squashed migration is proven on two scratch databases " +
                "(created and dropped on the server of the project's connection string, named <database>_squashproof_<utc>_a/_b) that get the migrations before the range; " +
                "the user needs the CREATEDB privilege there (or pass --connection to another server), and the migrations before the range must apply to an empty database. Nothing was changed.", ex);
        }
    }

    // Until 'check' knows [Replaces], a squashed migration beside the migrations it replaces shows as a
    // fork (it follows the parent of FROM, as FROM does) and as a second head: expected, not a reason to refuse.
    private static bool ExplainedBySquash(Finding finding, HashSet<string> squashIds)
        => finding.Code is FindingCodes.Fork or FindingCodes.MultipleHeads && finding.Migrations.Count(id => !squashIds.Contains(id)) <= 1;

    // The folder of the replaced migrations: where FROM's class is declared, else where EF Core would
    // look for its file (<id>.cs anywhere under the project).
    private static string FolderOf(MigrationFiles files, string projectDir, string migrationId)
    {
        var folder = MigrationFolder.From(files.FromWorkingTree()).FirstOrDefault(f => f.Migrations.Any(m => m.Id == migrationId));
        if (folder is not null)
        {
            return files.FullPath(folder.Folder);
        }

        var file = Directory.EnumerateFiles(projectDir, migrationId + ".cs", SearchOption.AllDirectories).FirstOrDefault();
        return file is not null
            ? Path.GetDirectoryName(file)!
            : throw new CommandException(ExitCodes.UsageError,
                $"The source file of migration '{migrationId}' was not found under {projectDir}, so the squashed migration's folder is unknown. " +
                "Run the command with -p pointing at the project that holds the migrations.");
    }

    private static void WriteSum(MigrationFiles files, SquashPlan plan, Reporter reporter)
    {
        var folder = MigrationFolder.From(files.FromWorkingTree()).FirstOrDefault(f => f.Migrations.Any(m => m.Id == plan.Id));
        if (folder is null)
        {
            reporter.Warning($"The squashed migration '{plan.Id}' was not found among the source files, so {SumFile.FileName} was not updated. Run 'dotnet safe-migrate hash'.");
            return;
        }

        SumFile? previous = null;
        if (folder.SumText is not null)
        {
            try
            {
                previous = SumFile.ParseMergingConflicts(folder.SumText);
            }
            catch (SumFileFormatException ex)
            {
                reporter.Warning($"{IntegrityChecker.SumPath(folder.Folder)} could not be read ({ex.Message}); parents are taken from the id order.");
            }
        }

        var sum = SquashSumUpdater.Build(folder.Migrations, previous, plan.Id, plan.Range.To);
        var path = files.FullPath(IntegrityChecker.SumPath(folder.Folder));
        File.WriteAllText(path, sum.Format());
        var parents = sum.Entries.First(e => e.Id == plan.Id).Parents;
        reporter.Info($"Wrote {Relative(path)} ('{plan.Id}' follows {(parents.Count == 0 ? "no migration" : string.Join(" and ", parents.Select(p => $"'{p}'")))}, the last migration it replaces; the migration after it now follows it).");
    }

    private static void ReportWritten(Reporter reporter, SquashPlan plan, SquashedMigrationFiles written)
    {
        var schemaCount = plan.Up.Count - plan.KeptUp.Count;
        if (plan.FromOperations)
        {
            reporter.Info($"Squashed {plan.Range.MigrationIds.Count} migrations ({plan.Range.From}..{plan.Range.To}) into '{plan.Id}' from their own operations: " +
                          $"Up has their {plan.Up.Count} Up operation(s) in order, Down their {plan.Down.Count} Down operation(s), newest migration first.");
            reporter.Info($"Wrote {Relative(written.MigrationFile)}");
            reporter.Info($"Wrote {Relative(written.MetadataFile)}");
            return;
        }

        reporter.Info($"Squashed {plan.Range.MigrationIds.Count} migrations ({plan.Range.From}..{plan.Range.To}) into '{plan.Id}': " +
                      $"Up has {schemaCount} schema operation(s) from EF Core's model differ, then {plan.KeptUp.Count} custom operation(s) kept; " +
                      $"Down has {plan.KeptDown.Count} custom operation(s) kept, then {plan.Down.Count - plan.KeptDown.Count} schema operation(s).");
        foreach (var kept in plan.KeptUp.Concat(plan.KeptDown))
        {
            reporter.Info($"  kept: {kept}");
        }

        reporter.Info($"Wrote {Relative(written.MigrationFile)}");
        reporter.Info($"Wrote {Relative(written.MetadataFile)}");
    }

    private static void ReportDone(Reporter reporter, SquashPlan plan, SquashedMigrationFiles written)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(new
            {
                id = plan.Id, migrationFile = written.MigrationFile, metadataFile = written.MetadataFile, replaces = plan.Range.MigrationIds,
                builtFrom = plan.FromOperations ? "operations" : "models", proven = true,
            });
            return;
        }

        reporter.Info("Done. The replaced migrations and the model snapshot are unchanged. Databases before, inside or after the range stay correct once the application migrates " +
                      "through UseSafeMigrate(): one that applied none of the replaced migrations runs the squashed one; one that applied some runs the rest, then records the squashed one; " +
                      "one that applied all records it without running anything. Keep the replaced migrations until every database is past the range; 'squash --finalize' will delete them later.");
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
