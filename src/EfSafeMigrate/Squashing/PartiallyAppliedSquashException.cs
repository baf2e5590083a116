namespace EfSafeMigrate.Squashing;

/// <summary>
/// The database is inside the range of a squashed migration (some, not all, of the migrations it
/// replaces are applied) while the code no longer has the replaced migrations (after
/// <c>squash --finalize</c>): neither the squashed migration (it would redo what is applied) nor
/// the rest of the range (its migrations are gone) can be applied. Nothing was changed.
/// </summary>
public sealed class PartiallyAppliedSquashException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="squashedMigrationId">The squashed migration.</param>
    /// <param name="appliedIds">The replaced migrations that are applied, oldest first.</param>
    /// <param name="notAppliedIds">The replaced migrations that are not (or only partly) applied, oldest first.</param>
    /// <param name="missingFromCode">The replaced migrations the code no longer has, oldest first.</param>
    public PartiallyAppliedSquashException(string squashedMigrationId, IReadOnlyList<string> appliedIds, IReadOnlyList<string> notAppliedIds, IReadOnlyList<string> missingFromCode)
        : base(BuildMessage(squashedMigrationId, appliedIds, notAppliedIds, missingFromCode))
    {
        SquashedMigrationId = squashedMigrationId;
        AppliedIds = appliedIds;
        NotAppliedIds = notAppliedIds;
        MissingFromCode = missingFromCode;
    }

    /// <summary>The squashed migration whose range the database is inside.</summary>
    public string SquashedMigrationId { get; }

    /// <summary>The replaced migrations that are applied, oldest first.</summary>
    public IReadOnlyList<string> AppliedIds { get; }

    /// <summary>The replaced migrations that are not (or only partly) applied, oldest first.</summary>
    public IReadOnlyList<string> NotAppliedIds { get; }

    /// <summary>The replaced migrations the code no longer has, oldest first.</summary>
    public IReadOnlyList<string> MissingFromCode { get; }

    private static string BuildMessage(string squash, IReadOnlyList<string> applied, IReadOnlyList<string> notApplied, IReadOnlyList<string> missing)
        => $"The database is inside the range of the squashed migration '{squash}': of the migrations it replaces, {string.Join(", ", applied)} " +
           $"{(applied.Count == 1 ? "is" : "are")} applied and {string.Join(", ", notApplied)} {(notApplied.Count == 1 ? "is" : "are")} not, " +
           $"but the code no longer has {string.Join(", ", missing)} (the squash was finalized). Applying '{squash}' would redo what is applied, " +
           $"so nothing was changed. Finish the range first with the previous version of the application (one that still has the replaced " +
           $"migrations), or run 'dotnet safe-migrate apply' from a commit before 'squash --finalize'; then this version applies normally.";
}
