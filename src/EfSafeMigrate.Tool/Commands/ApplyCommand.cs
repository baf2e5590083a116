using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Linting;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Operations.Fleet;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>apply [TARGET]</c>: backup, then apply (or revert) to TARGET under the migration lock;
/// <c>--fake</c> records without running; <c>--fake-initial</c> records the initial migration
/// when the live schema already has everything it creates. With <c>--fleet FILE</c> (or <c>--connections-from</c>),
/// the same for every database of a list (<see cref="FleetApply"/>).
/// </summary>
internal static class ApplyCommand
{
    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Back up the database, then apply (or revert) migrations to reach TARGET, under a database lock.";
        var target = command.Argument("TARGET", "Target migration id or name; 0 means none. Default: the newest.");
        var fake = command.Option("--fake", "Record the migrations up to TARGET as applied (or reverted) without running them.", CommandOptionType.NoValue);
        var fakeInitial = command.Option("--fake-initial", "Record the initial migration as applied without running it when every table and column it creates already exists with the right type and nullability.", CommandOptionType.NoValue);
        var allowUnknown = command.Option("--allow-unknown", "Apply even when the database has applied migrations this code does not have (e.g. from another branch).", CommandOptionType.NoValue);
        var allowPending = command.Option("--allow-pending-model-changes", "Apply even when the model has changes that no migration captures (EF Core's PendingModelChangesWarning).", CommandOptionType.NoValue);
        var allowEdited = command.Option("--allow-edited", "Apply even when a migration applied earlier was edited since (its checksum in the journal differs from its files).", CommandOptionType.NoValue);
        var options = ProjectOptions.Add(command);
        var run = MigrationRun.Add(command, options);
        var lint = LintGate.Add(command);
        var fleet = FleetOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            if (fake.HasValue() && fakeInitial.HasValue())
            {
                throw new CommandException(ExitCodes.UsageError, "--fake and --fake-initial cannot be used together.");
            }

            fleet.Validate();
            if (!fleet.IsFleet)
            {
                RestoreLeftoverCheck.Check(session);
            }

            ApplyValidation.CheckSumFiles(session);
            ApplyValidation.CheckBuildOutput(session);
            if (string.IsNullOrEmpty(target.Value))
            {
                ApplyValidation.CheckPendingModelChanges(session, allowPending.HasValue());
            }

            Func<ProjectSession, MigrationPlan, MigrationPlan>? adjust = null;
            if (fake.HasValue())
            {
                adjust = (_, plan) => plan with { Steps = plan.Steps.Select(s => s.AsFake()).ToList() };
            }
            else if (fakeInitial.HasValue())
            {
                adjust = FakeInitial;
            }

            Func<MigrationPlan, MigrationPlan> Validated(ProjectSession database)
            {
                var validation = new ApplyValidation(database, allowUnknown.HasValue(), allowEdited.HasValue());
                return plan =>
                {
                    validation.Check(); // under the lock, before the backup: nothing has changed yet
                    return adjust?.Invoke(database, plan) ?? plan;
                };
            }

            if (fleet.IsFleet)
            {
                var checksums = MigrationRun.SourceChecksums(session); // once for the fleet
                var generated = new System.Collections.Concurrent.ConcurrentDictionary<MigrationStep, bool>(); // each step's SQL checked once for the fleet
                return FleetApply.ExecuteAsync(session, fleet, options.Context.Value(), target.Value, run.NoBackup, async (database, observer) =>
                {
                    RestoreLeftoverCheck.Check(database);
                    (PlanRunResult Result, string? Current) outcome = default;
                    await lint.ForAnotherDatabase().RunAsync(database, Validated(database), async checkedAdjust =>
                    {
                        outcome = await run.RunAsync(database, target.Value, checkedAdjust, observer, checksums, generated);
                        return ExitCodes.Success;
                    });
                    return outcome;
                });
            }

            return lint.RunAsync(session, Validated(session), checkedAdjust => run.ExecuteAsync(session, target.Value, checkedAdjust));
        }));
    }

    private static MigrationPlan FakeInitial(ProjectSession session, MigrationPlan plan)
    {
        var initial = session.Migrator.Migrations.FirstOrDefault();
        if (initial is null || plan.Steps.Count == 0 || plan.Steps[0] != new MigrationStep(MigrationAction.Apply, initial))
        {
            return plan; // the initial migration is not pending: nothing to detect
        }

        var result = new FakeInitialDetector(session.Migrator, session.Database.CreateSchemaInspector(), BookkeepingTables.For(session.Context)).Detect(initial);
        switch (result.Decision)
        {
            case FakeInitialDecision.Fake:
                return plan with { Steps = [plan.Steps[0].AsFake(), .. plan.Steps.Skip(1)] };
            case FakeInitialDecision.Apply when result.Unverifiable:
                session.Reporter.Info($"'{initial}' creates no table through CreateTable (only Sql() or custom operations), so fake-initial cannot check it; {session.Database.Describe()} has no tables, so it will be applied normally.");
                return plan;
            case FakeInitialDecision.Apply:
                session.Reporter.Info($"None of the tables of '{initial}' exist: it will be applied normally.");
                return plan;
            default:
                throw new CommandException(ExitCodes.ProblemsFound, RefusalMessage(session, result));
        }
    }

    private static string RefusalMessage(ProjectSession session, FakeInitialResult result)
    {
        if (result.Unverifiable)
        {
            return string.Join(Environment.NewLine,
            [
                $"Cannot fake-apply the initial migration '{result.InitialMigration}': it creates no table through CreateTable (its schema comes from Sql() or custom operations), so nothing proves that what it creates exists, and {session.Database.Describe()} is not empty ({result.LiveTables} table(s)).",
                .. result.MatchingMigration is { } matching ? [$"The live schema matches the target model of migration '{matching}'."] : Array.Empty<string>(),
                "If the database already has everything it creates, record it as applied explicitly, then apply the rest:",
                $"  dotnet safe-migrate apply --fake {result.InitialMigration}",
                "  dotnet safe-migrate apply",
                "To run it on this database instead: dotnet safe-migrate apply (without --fake-initial).",
                "Nothing was changed.",
            ]);
        }

        var lines = new List<string>
        {
            $"Cannot fake-apply the initial migration '{result.InitialMigration}': the schema of {session.Database.Describe()} does not match what it creates ({result.Differences.Count} difference(s)):",
        };
        lines.AddRange(result.Differences.Select(d => "  - " + d.Describe()));
        if (result.MatchingMigration is { } match)
        {
            lines.Add($"The live schema matches the target model of migration '{match}'. To record the database as being at that migration, run:");
            lines.Add($"  dotnet safe-migrate apply --fake {match}");
            lines.Add("(with the same --project/--connection options), then 'dotnet safe-migrate apply' for the rest.");
        }
        else
        {
            lines.Add("No migration's target model matches the live schema exactly. Bring the schema in line with a migration (or restore a backup) first.");
        }

        lines.Add("Nothing was changed.");
        return string.Join(Environment.NewLine, lines);
    }
}
