using EfSafeMigrate.Consistency;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Tool.Integrity;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>apply</c>'s validation before it changes anything (Flyway's <c>validate</c>, on by default):
/// the project's <c>safe-migrate.sum</c> files, when present, are readable and valid
/// (<see cref="SumFileProbe"/>); the database has no applied migration unknown to the code (SM401,
/// <c>--allow-unknown</c> to proceed) and no applied migration edited since (SM402, <c>--allow-edited</c>),
/// through <see cref="PreApplyValidator"/>. A refusal exits 1 and names each migration and the fix.
/// </summary>
internal sealed class ApplyValidation
{
    private readonly ProjectSession _session;
    private readonly bool _allowUnknown;
    private readonly bool _allowEdited;

    /// <summary>Creates the validation for a session and the two overrides.</summary>
    public ApplyValidation(ProjectSession session, bool allowUnknown, bool allowEdited)
    {
        _session = session;
        _allowUnknown = allowUnknown;
        _allowEdited = allowEdited;
    }

    /// <summary>Refuses (exit 1) when a <c>safe-migrate.sum</c> under the project is unreadable or invalid (conflict markers, garbage).</summary>
    /// <exception cref="CommandException">Exit code 1, naming each file, line and the fix.</exception>
    public static void CheckSumFiles(ProjectSession session)
    {
        var problems = SumFileProbe.Problems(session.ProjectDir);
        if (problems.Count > 0)
        {
            throw new CommandException(ExitCodes.ProblemsFound,
                $"Refusing to apply: the integrity file cannot be trusted ({problems.Count} problem(s)):{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  - " + p)) + Environment.NewLine +
                "It is what tells forks and edited migrations apart; fix it first ('dotnet safe-migrate check' shows the state). Nothing was changed.");
        }
    }

    /// <summary>
    /// Refuses (exit 2) when the build output is older than the migrations: a <c>safe-migrate.sum</c> of the project lists a
    /// migration of the context that the built migrations assembly does not contain (typically right after <c>add</c>, with
    /// <c>--no-build</c>). Without this, the run would see nothing pending and say the database is up to date.
    /// </summary>
    /// <exception cref="CommandException">Exit code 2, naming the migrations, the assembly and the build command.</exception>
    public static void CheckBuildOutput(ProjectSession session)
    {
        var migrationsAssembly = session.Context.GetService<IMigrationsAssembly>().Assembly;
        var contextType = session.Context.GetType();
        var built = MigrationIdsOf(migrationsAssembly, contextType);
        var missing = SumFileProbe.ListedMigrations(session.ProjectDir, contextType.Name).Where(m => !built.Contains(m.Id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        throw new CommandException(ExitCodes.UsageError,
            $"The build output is older than the migrations: {Path.GetFileName(missing[0].File)} ({Path.GetDirectoryName(missing[0].File)}) lists {string.Join(", ", missing.Select(m => m.Id).Distinct())} " +
            $"for {contextType.Name}, which the built assembly '{migrationsAssembly.Location}' does not contain. " +
            "Build the project (run without --no-build, or 'dotnet build' the startup project) and run again. Nothing was changed.");
    }

    /// <summary>
    /// EF Core 9+'s rule for <c>Migrate()</c> without a target (<see cref="PendingModelChanges"/>): refuses (exit 1) when the
    /// model has changes no migration captures, unless <paramref name="allow"/>; warns when the application logs the warning only.
    /// </summary>
    /// <exception cref="CommandException">Exit code 1, with EF's warning id and the <c>add</c> command that fixes it.</exception>
    public static void CheckPendingModelChanges(ProjectSession session, bool allow)
    {
        var verdict = PendingModelChanges.Check(session.Context);
        var what = $"the model of {session.Context.GetType().Name} has changes that no migration captures (EF Core's warning {PendingModelChanges.WarningId})";
        if (verdict == PendingModelChangesVerdict.None)
        {
            return;
        }

        if (verdict == PendingModelChangesVerdict.Warn || allow)
        {
            session.Reporter.Warning($"{char.ToUpperInvariant(what[0])}{what[1..]}; applying the existing migrations anyway{(allow ? " (--allow-pending-model-changes)" : " (the application logs this warning only)")}.");
            return;
        }

        throw new CommandException(ExitCodes.ProblemsFound,
            $"Refusing to apply: {what}. Add a migration for them: dotnet safe-migrate add <Name> (then apply). " +
            "To apply the existing migrations anyway: --allow-pending-model-changes. Nothing was changed.");
    }

    private static HashSet<string> MigrationIdsOf(System.Reflection.Assembly assembly, Type contextType)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (System.Reflection.ReflectionTypeLoadException e)
        {
            types = e.Types;
        }

        return types.OfType<Type>()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType is { } c && c.IsAssignableFrom(contextType))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Refuses (exit 1) when the database has unknown or edited applied migrations (unless allowed); warns when it proceeds over them.</summary>
    /// <exception cref="CommandException">Exit code 1, naming each migration and the fix.</exception>
    public void Check()
    {
        // The run's own read of the sources (empty, with the run's warning, when they cannot be read).
        var hashes = _allowEdited ? new Dictionary<string, string>() : Operations.MigrationRun.SourceChecksums(_session);

        var journal = new JournalReader(_session.Context, _session.Database.CreateJournalProbe());
        var findings = new PreApplyValidator(_session.Migrator, hashes, journal).Validate(_allowUnknown, _allowEdited);
        if (findings.Count == 0)
        {
            if (_allowUnknown)
            {
                var known = _session.Migrator.Migrations.ToHashSet(StringComparer.Ordinal);
                var unknown = _session.Migrator.GetAppliedMigrations().Where(id => !known.Contains(id)).ToList();
                if (unknown.Count > 0)
                {
                    _session.Reporter.Warning($"--allow-unknown: {_session.Database.Describe()} has applied migration(s) this code does not have: {string.Join(", ", unknown)}. Applying anyway.");
                }
            }

            return;
        }

        var database = _session.Database.Describe();
        var lines = new List<string>();
        var unknownFindings = findings.Where(f => f.Code == FindingCodes.AppliedMigrationMissing).ToList();
        var edited = findings.Where(f => f.Code == FindingCodes.EditedAfterApply).ToList();
        if (unknownFindings.Count > 0)
        {
            lines.Add($"Refusing to apply: {database} has {unknownFindings.Count} applied migration(s) this code does not have (from another branch, or removed):");
            lines.AddRange(unknownFindings.Select(f => $"  - {f.Migrations[0]} ({f.Code}): {f.Fix}"));
            lines.Add("'dotnet safe-migrate check --database' (or 'check --connection <CS>') lists them; 'dotnet safe-migrate status' shows them as unknown. To apply on top of them anyway: --allow-unknown.");
        }

        if (edited.Count > 0)
        {
            lines.Add($"Refusing to apply: {edited.Count} migration(s) applied to {database} were edited since:");
            lines.AddRange(edited.Select(f => $"  - {f.Migrations[0]} ({f.Code}): {f.Message}{Environment.NewLine}    Fix: {f.Fix}"));
            lines.Add("To apply anyway: --allow-edited.");
        }

        lines.Add("Nothing was changed.");
        throw new CommandException(ExitCodes.ProblemsFound, string.Join(Environment.NewLine, lines));
    }
}
