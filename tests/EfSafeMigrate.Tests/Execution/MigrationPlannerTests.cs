using EfSafeMigrate.Execution.Internal;
using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tests.Execution;

public class MigrationPlannerTests
{
    private const string Initial = "20240101000000_Initial";
    private const string AddTags = "20240102000000_AddTags";
    private const string AddSku = "20240103000000_AddSku";
    private const string DropLegacy = "20240104000000_DropLegacy";

    private static readonly string[] All = [Initial, AddTags, AddSku, DropLegacy];

    private static MigrationStep Apply(string id) => new(MigrationAction.Apply, id);

    private static MigrationStep Revert(string id) => new(MigrationAction.Revert, id);

    [Fact]
    public void Plan_applies_all_migrations_oldest_first_on_empty_database()
    {
        var plan = MigrationPlanner.Plan(All, [], DropLegacy);

        Assert.Equal([Apply(Initial), Apply(AddTags), Apply(AddSku), Apply(DropLegacy)], plan.Steps);
        Assert.Equal(DropLegacy, plan.TargetMigration);
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void Plan_is_empty_when_database_is_at_target()
    {
        var plan = MigrationPlanner.Plan(All, [Initial, AddTags, AddSku, DropLegacy], DropLegacy);

        Assert.Empty(plan.Steps);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_is_empty_when_target_is_zero_and_nothing_is_applied()
    {
        var plan = MigrationPlanner.Plan(All, [], Migration.InitialDatabase);

        Assert.True(plan.IsEmpty);
        Assert.Equal("0", plan.TargetMigration);
    }

    [Fact]
    public void Plan_applies_only_pending_migrations_up_to_target()
    {
        var plan = MigrationPlanner.Plan(All, [Initial], AddSku);

        Assert.Equal([Apply(AddTags), Apply(AddSku)], plan.Steps);
    }

    [Fact]
    public void Plan_reverts_newest_first_when_target_is_in_the_middle()
    {
        var plan = MigrationPlanner.Plan(All, [Initial, AddTags, AddSku, DropLegacy], AddTags);

        Assert.Equal([Revert(DropLegacy), Revert(AddSku)], plan.Steps);
    }

    [Fact]
    public void Plan_reverts_all_applied_migrations_newest_first_when_target_is_zero()
    {
        var plan = MigrationPlanner.Plan(All, [Initial, AddTags, AddSku, DropLegacy], Migration.InitialDatabase);

        Assert.Equal([Revert(DropLegacy), Revert(AddSku), Revert(AddTags), Revert(Initial)], plan.Steps);
        Assert.All(plan.Steps, s => Assert.True(s.IsRevert));
    }

    [Fact]
    public void Plan_reverts_before_it_applies()
    {
        // Out-of-order history: AddTags pending, AddSku and DropLegacy applied; target AddTags.
        var plan = MigrationPlanner.Plan(All, [Initial, AddSku, DropLegacy], AddTags);

        Assert.Equal([Revert(DropLegacy), Revert(AddSku), Apply(AddTags)], plan.Steps);
    }

    [Fact]
    public void Plan_applies_missing_migrations_without_reverting_later_applied_ones_when_target_is_latest()
    {
        var plan = MigrationPlanner.Plan(All, [Initial, AddSku], DropLegacy);

        Assert.Equal([Apply(AddTags), Apply(DropLegacy)], plan.Steps);
        Assert.DoesNotContain(plan.Steps, s => s.MigrationId == AddSku);
    }

    [Fact]
    public void Plan_accepts_applied_ids_in_any_order()
    {
        var plan = MigrationPlanner.Plan(All, [AddTags, Initial, DropLegacy], DropLegacy);

        Assert.Equal([Apply(AddSku)], plan.Steps);
    }

    [Fact]
    public void Plan_ignores_history_rows_of_unknown_migrations()
    {
        const string Unknown = "20230101000000_FromAnotherBranch";

        var toLatest = MigrationPlanner.Plan(All, [Unknown, Initial], DropLegacy);
        var toZero = MigrationPlanner.Plan(All, [Unknown, Initial], Migration.InitialDatabase);

        Assert.Equal([Apply(AddTags), Apply(AddSku), Apply(DropLegacy)], toLatest.Steps);
        Assert.Equal([Revert(Initial)], toZero.Steps);
    }

    [Fact]
    public void Plan_compares_migration_ids_ordinally()
    {
        var plan = MigrationPlanner.Plan(All, [Initial.ToUpperInvariant()], Initial);

        Assert.Equal([Apply(Initial)], plan.Steps);
    }

    [Fact]
    public void Plan_accepts_applied_ids_given_as_a_set()
    {
        var applied = new HashSet<string>([Initial, AddTags]);

        var plan = MigrationPlanner.Plan(All, applied, AddSku);

        Assert.Equal([Apply(AddSku)], plan.Steps);
    }

    [Fact]
    public void Plan_with_no_migrations_and_target_zero_is_empty()
    {
        var plan = MigrationPlanner.Plan([], [], Migration.InitialDatabase);

        Assert.True(plan.IsEmpty);
    }

    [Theory]
    [InlineData("20249999999999_Missing")]
    [InlineData("AddTags")]
    [InlineData("")]
    public void Plan_throws_ArgumentException_for_unknown_target(string target)
    {
        var ex = Assert.Throws<ArgumentException>(() => MigrationPlanner.Plan(All, [], target));

        Assert.Equal("targetMigration", ex.ParamName);
        Assert.Contains(target, ex.Message);
    }
}
