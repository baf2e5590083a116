using EfSafeMigrate.Graph;
using EfSafeMigrate.Consistency;
using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>squash FROM TO [--name NAME]</c>: writes one migration that replaces the range FROM..TO
/// (Django's <c>squashmigrations</c>). Its operations come from EF Core's model differ plus the
/// range's custom operations (<see cref="MigrationSquasher"/> states the rules), its files from EF
/// Core Design's C# generator with <c>[Replaces(...)]</c> beside <c>[Migration]</c>
/// (<see cref="SquashedMigrationWriter"/>); then <c>safe-migrate.sum</c> records it after the
/// last replaced migration, and the migration after TO follows it (<see cref="SumFiles.RecordSquash"/>).
/// The replaced migrations and the model snapshot are left as they are. <c>squash --finalize [SQUASH]</c>
/// later deletes the replaced migrations once no known database is inside the range (<see cref="Finalize"/>).
/// </summary>
internal static partial class SquashOperations
{
    /// <summary>
    /// Writes the squashed migration of FROM..TO once proven on scratch databases, and records it in
    /// <c>safe-migrate.sum</c>. Refusals exit 2 (the request) or 1 (the range), before anything is written.
    /// </summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextOption">The <c>--context</c> option, or null.</param>
    /// <param name="from">The first migration to replace (id or name).</param>
    /// <param name="to">The last migration to replace (id or name).</param>
    /// <param name="name">The <c>--name</c> option, or null.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">A refusal (exit code 2 for the request, 1 for the range); nothing was written.</exception>
    public static int Squash(ProjectSession session, string? contextOption, string from, string to, string? name)
    {
        var reporter = session.Reporter;
        var host = session.Design.Project;
        var assembly = session.Design.Assembly;
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
        if (IntegrityGate.RefuseOnIntegrityErrors(files, contextOption, reporter, $"Not squashing {from}..{to}", f => ExplainedBySquash(f, squashIds)) is { } refused)
        {
            return refused;
        }

        RefuseForkedRange(session, from, to);
        using var design = session.Design.CreateDesignTimeServices(session.Context);

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

            var prover = SquashProofFactory.For(session, contextOption, "squash");
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
    // A range that crosses a fork or a merge migration (parents from safe-migrate.sum) cannot become one migration.
    private static void RefuseForkedRange(ProjectSession session, string from, string to)
    {
        var contextName = session.Context.GetType().Name;
        var ids = CodeMigrations.Of(session.Context).Migrations.Keys.ToList();
        var assembly = CodeMigrations.Of(session.Context);
        var fromId = assembly.FindMigrationId(from);
        var toId = assembly.FindMigrationId(to);
        if (fromId is null || toId is null || ids.IndexOf(fromId) >= ids.IndexOf(toId))
        {
            return; // the squasher refuses these with its own message
        }

        var range = ids.Skip(ids.IndexOf(fromId)).Take(ids.IndexOf(toId) - ids.IndexOf(fromId) + 1).ToList();
        var parents = SumFileProbe.ListedEntries(session.ProjectDir, contextName).ToDictionary(e => e.Id, e => e.Parents, StringComparer.Ordinal);
        if (SquashRangeForks.Problem(range, parents) is { } problem)
        {
            throw new SquashRefusedException(SquashRefusalKind.Unsafe, $"Cannot squash {fromId}..{toId}: {problem} Nothing was changed.");
        }
    }

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
        if (new SumFiles(files, reporter).RecordSquash(plan.Id, plan.Range.To) is not { } written)
        {
            reporter.Warning($"The squashed migration '{plan.Id}' was not found among the source files, so {SumFile.FileName} was not updated. Run 'dotnet safe-migrate hash'.");
            return;
        }

        var (path, sum) = written;
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
            reporter.JsonDocument(new SquashResult(plan.Id, written.MigrationFile, written.MetadataFile, plan.Range.MigrationIds, plan.FromOperations ? "operations" : "models", Proven: true));
            return;
        }

        reporter.Info("Done. The replaced migrations and the model snapshot are unchanged. Databases before, inside or after the range stay correct once the application migrates " +
                      "through UseSafeMigrate(): one that applied none of the replaced migrations runs the squashed one; one that applied some runs the rest, then records the squashed one; " +
                      "one that applied all records it without running anything. Keep the replaced migrations until every database is past the range; 'squash --finalize' will delete them later.");
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
