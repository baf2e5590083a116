using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Tool.Integrity;

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

    /// <summary>Refuses (exit 1) when the database has unknown or edited applied migrations (unless allowed); warns when it proceeds over them.</summary>
    /// <exception cref="CommandException">Exit code 1, naming each migration and the fix.</exception>
    public void Check()
    {
        IReadOnlyDictionary<string, string> hashes;
        try
        {
            hashes = _allowEdited ? new Dictionary<string, string>() : MigrationSourceHashes.Read(_session.ProjectDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CommandException)
        {
            hashes = new Dictionary<string, string>(); // the apply warns about unreadable sources itself
        }

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
