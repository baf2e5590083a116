namespace EfSafeMigrate.Execution;

/// <summary>One step of a <see cref="MigrationPlan"/>: one action on one migration.</summary>
/// <param name="Action">What happens to the migration.</param>
/// <param name="MigrationId">The migration id, e.g. <c>20261121063000_AddTags</c>.</param>
internal sealed record MigrationStep(MigrationAction Action, string MigrationId)
{
    /// <summary>True for <see cref="MigrationAction.Revert"/> and <see cref="MigrationAction.FakeRevert"/>.</summary>
    public bool IsRevert => Action is MigrationAction.Revert or MigrationAction.FakeRevert;

    /// <summary>The step with the same direction that records without running (apply → fake apply, revert → fake revert).</summary>
    public MigrationStep AsFake() => this with
    {
        Action = IsRevert ? MigrationAction.FakeRevert : MigrationAction.FakeApply,
    };
}
