using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Destructive;

/// <summary>One step of a plan with the destructive operations it runs (<see cref="DestructiveChanges"/>).</summary>
/// <param name="Number">The step's number in the plan, from 1.</param>
/// <param name="Step">The step.</param>
/// <param name="Changes">Its destructive operations, in order; never empty.</param>
internal sealed record DestructiveStep(int Number, MigrationStep Step, IReadOnlyList<DestructiveChange> Changes);
