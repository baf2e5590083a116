using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;

namespace EfSafeMigrate.Consistency;

/// <summary>
/// The <c>check --connection</c> tier: compares a database's history with the code. Migrations
/// applied in the database but absent from the code (typical after switching branches), applied
/// migrations whose files were edited after they were applied (from the journal table), and
/// pending migrations (a warning).
/// </summary>
internal sealed class DatabaseConsistencyChecker
{
    private readonly SafeMigrator _migrator;
    private readonly IReadOnlyDictionary<string, string> _sourceHashes;
    private readonly JournalReader? _journal;

    /// <summary>Creates the checker.</summary>
    /// <param name="migrator">The migrator of the context, connected to the database to check.</param>
    /// <param name="sourceHashes">Current hash of each migration's files, by id (<see cref="MigrationHasher"/>).</param>
    /// <param name="journal">
    /// The database's journal, for SM402; null skips SM402. A database without the journal table
    /// gives no SM402 finding and no error.
    /// </param>
    public DatabaseConsistencyChecker(SafeMigrator migrator, IReadOnlyDictionary<string, string> sourceHashes, JournalReader? journal = null)
    {
        _migrator = migrator;
        _sourceHashes = sourceHashes;
        _journal = journal;
    }

    /// <summary>Runs the checks: SM401 (oldest first), SM402 (in history order, see <see cref="EditedAfterApplyCheck"/>), then SM403.</summary>
    public IReadOnlyList<Finding> Check()
    {
        var findings = new List<Finding>();
        var code = _migrator.Migrations;
        var known = code.ToHashSet(StringComparer.Ordinal);
        var applied = _migrator.GetAppliedMigrations();
        for (var i = 0; i < applied.Count; i++)
        {
            if (known.Contains(applied[i]))
            {
                continue;
            }

            var before = applied.Take(i).LastOrDefault(known.Contains) ?? "0";
            findings.Add(new Finding(FindingCodes.AppliedMigrationMissing, FindingSeverity.Error,
                $"The database has applied migration '{applied[i]}', which this code does not have (it comes from another branch, or was removed).",
                [applied[i]], null, null,
                $"Check out the branch that has it (git log --all --oneline -- '*{applied[i]}*' finds it), run 'dotnet safe-migrate rollback --to {before}' there, then come back; or, if the database should keep it, merge that branch."));
        }

        if (_journal is not null && applied.Count > 0)
        {
            findings.AddRange(EditedAfterApplyCheck.Check(applied, _sourceHashes, _journal.ReadLatest(), _journal.Table, _migrator.Context));
        }

        var pending = code.Where(id => !applied.Contains(id)).ToList();
        if (pending.Count > 0)
        {
            findings.Add(new Finding(FindingCodes.PendingMigrations, FindingSeverity.Warning,
                $"{pending.Count} migration(s) are not applied to the database yet: {string.Join(", ", pending)}.",
                pending, null, null, "Apply them: dotnet safe-migrate apply."));
        }

        return findings;
    }
}
