using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;

namespace EfSafeMigrate.Consistency;

/// <summary>
/// What <c>apply</c> checks before it changes anything, on by default (Flyway's <c>validate</c>): the
/// database has no applied migration the code lacks (SM401, e.g. applied from another branch: applying
/// on top of it mixes two histories), and no applied migration was edited since it was applied (SM402,
/// from the journal's checksums: the database ran another version of it). The findings are those of
/// <see cref="DatabaseConsistencyChecker"/> (the <c>check --connection</c> tier), so the two agree.
/// </summary>
public sealed class PreApplyValidator
{
    private readonly SafeMigrator _migrator;
    private readonly IReadOnlyDictionary<string, string> _sourceHashes;
    private readonly JournalReader? _journal;

    /// <summary>Creates the validator.</summary>
    /// <param name="migrator">The migrator of the context, connected to the database to apply to.</param>
    /// <param name="sourceHashes">Current hash of each migration's files, by id (<see cref="MigrationHasher"/>); empty when unknown (then SM402 finds nothing).</param>
    /// <param name="journal">The database's journal; null skips SM402.</param>
    public PreApplyValidator(SafeMigrator migrator, IReadOnlyDictionary<string, string> sourceHashes, JournalReader? journal)
    {
        _migrator = migrator;
        _sourceHashes = sourceHashes;
        _journal = journal;
    }

    /// <summary>
    /// The findings that stop the apply: SM401 (oldest first) unless <paramref name="allowUnknown"/>, then
    /// SM402 (in history order) unless <paramref name="allowEdited"/>. Empty when the apply may go on.
    /// </summary>
    /// <exception cref="Squashing.PartiallyAppliedSquashException">The database is inside the range of a finalized squash.</exception>
    public IReadOnlyList<Finding> Validate(bool allowUnknown, bool allowEdited)
    {
        if (allowUnknown && allowEdited)
        {
            return [];
        }

        var findings = new DatabaseConsistencyChecker(_migrator, _sourceHashes, allowEdited ? null : _journal).Check();
        return findings.Where(f =>
                (f.Code == FindingCodes.AppliedMigrationMissing && !allowUnknown)
                || (f.Code == FindingCodes.EditedAfterApply && !allowEdited))
            .ToList();
    }
}
