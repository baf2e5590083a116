namespace EfSafeMigrate.Squashing;

/// <summary>The texts of the errors that idempotent scripts raise around squashed migrations (plain text; the guards quote them).</summary>
internal static class SquashScriptMessages
{
    /// <summary>
    /// The database is part-way through a squashed migration's range: names the squashed migration
    /// and its range, says what did (not) run, and the fix.
    /// </summary>
    /// <param name="squash">The squashed migration.</param>
    /// <param name="atScriptStart">True when raised by the check at the start of the script (nothing has run).</param>
    public static string PartiallyApplied(SquashedMigration squash, bool atScriptStart)
        => $"The database is part-way through the migrations that the squashed migration '{squash.Id}' replaces ({squash.DescribeRange()}): " +
           $"some of them are applied, not all. '{squash.Id}' stands for all of them at once, so this idempotent script can neither run it " +
           "(or its Down) nor skip it on such a database. " +
           (atScriptStart
               ? "The script stopped before its first statement: nothing was changed. "
               : $"The script stopped before running anything of '{squash.Id}' (the migrations before it in the script ran or were skipped as usual). ") +
           "Fix: apply the remaining original migrations first, with 'dotnet safe-migrate apply' from a version of the project that still has them, " +
           $"or with a non-idempotent script from the last applied of them to '{squash.LastReplacedId}' " +
           $"('dotnet safe-migrate script <last applied> {squash.LastReplacedId}' in that version); then run this script again.";
}
