using EfSafeMigrate.Execution;
using EfSafeMigrate.Execution.Compiled;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using EfSafeMigrate.Npgsql.Lint;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.Tool.Linting;

/// <summary>
/// Lint enforced by <c>apply</c> and <c>rollback --to</c>: once the migration lock is held and the plan
/// is known (and before the backup and any SQL runs), the steps that will execute are linted against
/// the live table sizes — each apply step's <c>Up</c>, each revert step's <c>Down</c>; fakes run nothing
/// and are skipped. Errors refuse the run (exit 1, nothing changed) unless <c>--allow-unsafe</c>, in which
/// case they are printed as warnings; warnings are printed. Findings go to stderr (stdout stays for
/// <c>--json</c>). The <c>Down</c> rules are direction-aware: when applying, SM521/SM522 are at most
/// warnings (the rollback checks them again); when reverting, an empty or non-inverse <c>Down</c>
/// (SM521, SM522) is an error. Around the run it also journals allowed findings
/// (<see cref="NpgsqlLintAllowanceJournal"/>) and, when a step fails, drops the <c>INVALID</c> indexes
/// its concurrent index builds left (<see cref="ConcurrentIndexCleanup"/>).
/// </summary>
internal sealed class LintGate
{
    private static readonly string[] DownRules = ["SM521", "SM522"];

    private readonly CommandOption _allowUnsafe;
    private readonly LintSettings _settings;
    private readonly List<(LintFinding Finding, string AllowedBy)> _allowed = [];

    private LintGate(CommandLineApplication command)
    {
        _allowUnsafe = command.Option("--allow-unsafe", "Run even when lint finds errors in the migrations to run (they are printed as warnings).", CommandOptionType.NoValue);
        _settings = LintSettings.Add(command);
    }

    /// <summary>Adds <c>--allow-unsafe</c> and the lint options to a command.</summary>
    public static LintGate Add(CommandLineApplication command) => new(command);

    private LintGate(LintGate options)
    {
        _allowUnsafe = options._allowUnsafe;
        _settings = options._settings;
    }

    /// <summary>
    /// A gate with the same options and its own record of allowed findings: one per database of
    /// <c>apply --fleet</c>, whose databases run at the same time (a gate is not thread-safe).
    /// </summary>
    public LintGate ForAnotherDatabase() => new(this);

    /// <summary>
    /// Runs <paramref name="run"/> (the command's <see cref="MigrationRun.ExecuteAsync"/>) with the lint
    /// check around <paramref name="adjust"/>, then journals the allowed errors of every step that
    /// executed (<see cref="NpgsqlLintAllowanceJournal"/>) — also when a later step failed. A journal
    /// write that fails is a warning (the migrations are committed by then).
    /// </summary>
    public async Task<int> RunAsync(ProjectSession session, Func<MigrationPlan, MigrationPlan>? adjust, Func<Func<MigrationPlan, MigrationPlan>, Task<int>> run)
    {
        try
        {
            return await run(Around(session, adjust));
        }
        catch (CommandException failure) when (failure.InnerException is PlanStepFailedException step)
        {
            DropInvalidIndexes(session, step.Step);
            throw;
        }
        finally
        {
            RecordAllowances(session);
        }
    }

    /// <summary>
    /// The plan adjustment to give <see cref="MigrationRun.ExecuteAsync"/>: <paramref name="adjust"/>
    /// (when given), then the lint of the resulting plan.
    /// </summary>
    /// <exception cref="CommandException">Lint found errors and <c>--allow-unsafe</c> was not given (exit 1), or bad lint options (exit 2).</exception>
    public Func<MigrationPlan, MigrationPlan> Around(ProjectSession session, Func<MigrationPlan, MigrationPlan>? adjust)
    {
        var options = _settings.ToOptions(); // option errors before anything starts
        return plan =>
        {
            plan = adjust?.Invoke(plan) ?? plan;
            Check(session, plan, options);
            return plan;
        };
    }

    private void Check(ProjectSession session, MigrationPlan plan, LintOptions options)
    {
        var steps = plan.Steps.Where(s => s.Action is MigrationAction.Apply or MigrationAction.Revert).ToList();
        if (steps.Count == 0)
        {
            return;
        }

        var revert = steps.Any(s => s.IsRevert);
        var overrides = new Dictionary<string, LintSeverity>(options.SeverityOverrides, StringComparer.OrdinalIgnoreCase);
        foreach (var code in DownRules.Where(c => !overrides.ContainsKey(c)))
        {
            overrides[code] = revert ? LintSeverity.Error : LintSeverity.Warning;
        }

        var inputs = new LintInputs(session);
        var effective = options with { SeverityOverrides = overrides };
        var engine = new LintEngine(effective, inputs.ExistingDatabase());

        // With compiled migrations, a step stored as clean (no finding at all, same sources and lint options) is not linted again.
        var verdicts = session.Migrator.Compiled is { } compiled ? new LintVerdicts(compiled, effective) : null;
        var toLint = verdicts is null ? steps : steps.Where(s => !verdicts.IsClean(s)).ToList();
        var migrations = toLint.Select(s => inputs.For(s.MigrationId, s.IsRevert)).ToList();
        var report = engine.Run(migrations);
        if (verdicts is not null)
        {
            // Any finding of a migration (in either method: SM521/SM522 read the counterpart) keeps its step out of the cache.
            var withFindings = report.Findings.Select(f => f.Migration).ToHashSet(StringComparer.Ordinal);
            foreach (var step in toLint.Where(s => !withFindings.Contains(s.MigrationId)))
            {
                verdicts.RecordClean(step);
            }
        }

        // A Down that throws keeps its own, earlier-established failure: the step's SQL cannot be
        // generated, so the run stops with exit 5 before anything changes (PlanRunner).
        var irreversible = migrations.Where(m => m.IsRevert && m.DownFailure is not null).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        report = report with { Findings = report.Findings.Where(f => !(f.Code == "SM521" && irreversible.Contains(f.Migration))).ToList() };
        var reporter = session.Reporter;
        _allowed.Clear();
        _allowed.AddRange(report.Findings.Where(f => f.Suppressed is not null).Select(f => (f, "comment")));
        foreach (var finding in report.Findings.Where(f => f.Severity == LintSeverity.Warning))
        {
            reporter.Warning(Describe(finding));
        }

        var errors = report.Findings.Where(f => f.Severity == LintSeverity.Error).ToList();
        if (errors.Count == 0)
        {
            reporter.Detail($"Lint: no errors in the {steps.Count} step(s) to run ({report.Warnings} warning(s), {report.Infos} info(s)" +
                            (verdicts is null ? ")." : $"; {verdicts.Hits} step(s) clean in the compiled-migrations cache, not linted again)."));
            return;
        }

        if (_allowUnsafe.HasValue())
        {
            foreach (var finding in errors)
            {
                reporter.Warning("allowed by --allow-unsafe: " + Describe(finding));
                _allowed.Add((finding, "allow-unsafe"));
            }

            return;
        }

        var verb = revert ? "rollback" : "apply";
        var lines = new List<string>
        {
            $"Lint found {errors.Count} error(s) in the {(revert ? "Down of the migrations this rollback would revert" : "migrations this apply would run")} on {session.Database.Describe()}. Nothing was changed.",
        };
        lines.AddRange(errors.Select(f => "  " + Describe(f)));
        lines.Add($"Follow the fix of each finding (details: dotnet safe-migrate lint --database; docs/lint-rules.md), or, where a human decided it is acceptable, add '// safe-migrate: allow <CODE> <reason>' above the operation in the migration file, or run '{verb}' again with --allow-unsafe.");
        throw new CommandException(ExitCodes.ProblemsFound, string.Join(Environment.NewLine, lines));
    }

    // A failed step whose concurrent index build left an INVALID index: drop it, so the re-run can build it.
    private static void DropInvalidIndexes(ProjectSession session, MigrationStep step)
    {
        try
        {
            var migration = session.Migrator.GetMigration(step.MigrationId);
            var indexes = ConcurrentIndexCleanup.ConcurrentIndexes(step.IsRevert ? migration.DownOperations : migration.UpOperations);
            foreach (var name in ConcurrentIndexCleanup.DropInvalid((NpgsqlConnection)session.Context.Database.GetDbConnection(), indexes))
            {
                session.Reporter.Warning($"The concurrent build of index {name} by '{step.MigrationId}' failed and left it INVALID; it was dropped (DROP INDEX CONCURRENTLY IF EXISTS), so 'dotnet safe-migrate apply' can build it again once the data is fixed.");
            }
        }
        catch (Exception ex)
        {
            session.Reporter.Warning($"Could not check for INVALID indexes left by '{step.MigrationId}' on {session.Database.Describe()}: {ex.Message}. Look for them with: SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid; and drop them with DROP INDEX CONCURRENTLY before applying again.");
        }
    }

    private void RecordAllowances(ProjectSession session)
    {
        if (_allowed.Count == 0)
        {
            return;
        }

        try
        {
            var applied = session.Migrator.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
            var executed = _allowed.Where(a => a.Finding.Direction == "up" ? applied.Contains(a.Finding.Migration) : !applied.Contains(a.Finding.Migration))
                .Select(a => new LintAllowance(a.Finding.Migration, a.Finding.Direction, a.Finding.Code, a.AllowedBy,
                    a.AllowedBy == "comment" ? a.Finding.Suppressed! : a.Finding.Message, a.Finding.File, a.Finding.Line))
                .ToList();
            NpgsqlLintAllowanceJournal.Record((NpgsqlConnection)session.Context.Database.GetDbConnection(), executed);
            session.Reporter.Detail($"Lint: {executed.Count} allowed finding(s) recorded in {NpgsqlLintAllowanceJournal.TableName}.");
        }
        catch (Exception ex)
        {
            // Never hide the run's own outcome (this runs in a finally): a failed write is a warning.
            session.Reporter.Warning($"The lint allowances of this run could not be recorded in {NpgsqlLintAllowanceJournal.TableName} on {session.Database.Describe()}: {ex.Message}");
        }
        finally
        {
            _allowed.Clear();
        }
    }

    /// <summary>One line: <c>SM501 20261129_X (up) file:14: message [lock; table size] fix: ...</c>.</summary>
    public static string Describe(LintFinding f)
    {
        var location = f.Location.Length == 0 ? string.Empty : $" {f.Location}";
        var size = f.Rows is null ? string.Empty : $" [{f.Table}: ~{f.Rows:N0} rows, {HumanFormat.Bytes(f.Bytes ?? 0)}{(f.FailingRows is > 0 ? $", {f.FailingRows:N0} failing row(s)" : string.Empty)}]";
        return $"{f.Code} {f.Migration} ({f.Direction}){location}: {f.Message}{size} fix: {f.Fix}";
    }
}
