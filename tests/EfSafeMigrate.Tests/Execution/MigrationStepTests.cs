using EfSafeMigrate.Execution.Internal;
using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Tests.Execution;

public class MigrationStepTests
{
    private const string Initial = "20240101000000_Initial";

    [Theory]
    [InlineData(MigrationAction.Apply, MigrationAction.FakeApply)]
    [InlineData(MigrationAction.Revert, MigrationAction.FakeRevert)]
    [InlineData(MigrationAction.FakeApply, MigrationAction.FakeApply)]
    [InlineData(MigrationAction.FakeRevert, MigrationAction.FakeRevert)]
    public void AsFake_keeps_direction_and_records_without_running(MigrationAction action, MigrationAction expected)
    {
        var step = new MigrationStep(action, Initial);

        var fake = step.AsFake();

        Assert.Equal(new MigrationStep(expected, Initial), fake);
        Assert.Equal(step.IsRevert, fake.IsRevert);
    }

    [Fact]
    public void AsFake_does_not_change_the_original_step()
    {
        var step = new MigrationStep(MigrationAction.Apply, Initial);

        _ = step.AsFake();

        Assert.Equal(MigrationAction.Apply, step.Action);
    }

    [Theory]
    [InlineData(MigrationAction.Apply, false)]
    [InlineData(MigrationAction.FakeApply, false)]
    [InlineData(MigrationAction.Revert, true)]
    [InlineData(MigrationAction.FakeRevert, true)]
    public void IsRevert_is_true_for_revert_and_fake_revert(MigrationAction action, bool expected)
    {
        Assert.Equal(expected, new MigrationStep(action, Initial).IsRevert);
    }
}
