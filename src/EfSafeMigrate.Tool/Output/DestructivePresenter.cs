using EfSafeMigrate.Destructive;
using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// How destructive steps are shown: below <c>plan</c>'s table (stdout, red), as warnings before a <c>rollback</c>,
/// and in its confirmation question ("This drops table Members (1,204 rows). Continue?").
/// </summary>
internal static class DestructivePresenter
{
    /// <summary>Writes the flags below a plan's table: one line per destructive operation, with the step number and migration.</summary>
    public static void PlanLines(Reporter reporter, IReadOnlyList<DestructiveStep> steps, string database)
    {
        if (steps.Count == 0)
        {
            return;
        }

        reporter.DataLine(($"Destructive steps (rows counted in {database} now):", Tone.Plain));
        foreach (var step in steps)
        {
            foreach (var change in step.Changes)
            {
                reporter.DataLine(($"  {step.Number,3}  {Verb(step.Step)} {step.Step.MigrationId}: ", Tone.Plain), (change.Description, Tone.Red));
            }
        }
    }

    /// <summary>Writes one warning per destructive operation (stderr): <c>20261121_DropMembers (Down) drops table Members (1,204 rows)</c>.</summary>
    public static void Warnings(Reporter reporter, IReadOnlyList<DestructiveStep> steps)
    {
        foreach (var step in steps)
        {
            foreach (var change in step.Changes)
            {
                reporter.Warning($"{Verb(step.Step)} {step.Step.MigrationId} {change.Description}.");
            }
        }
    }

    /// <summary>
    /// The confirmation question: <c>This drops table Members (1,204 rows). A backup is taken first. Continue?</c>; several
    /// operations are joined with <c>;</c> (at most 5 named, then "and N more").
    /// </summary>
    public static string Question(IReadOnlyList<DestructiveStep> steps, bool backupFirst)
    {
        const int Named = 5;
        var all = steps.SelectMany(s => s.Changes).Select(c => c.Description).ToList();
        var text = string.Join("; ", all.Take(Named)) + (all.Count > Named ? $"; and {all.Count - Named} more (listed above)" : string.Empty);
        return $"This {text}. {(backupFirst ? "A backup is taken first." : "No backup is taken (--no-backup).")} Continue?";
    }

    private static string Verb(MigrationStep step) => step.IsRevert ? "revert" : "apply";
}
