using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>
/// EF Core 9+'s pending-model-changes rule, kept by <c>apply</c> (issue 9, item 5): with a model change no migration
/// captures (tests/Fixtures/ShopWithPendingModelChanges), <c>apply</c> refuses before the plan with EF's warning id, exit 1
/// and the <c>add</c> command; <c>--allow-pending-model-changes</c> applies the existing migrations.
/// </summary>
public class PendingModelChangesTests(ITestOutputHelper output)
{
    private static FixtureProject Project => new(
        Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithPendingModelChanges", "ShopWithPendingModelChanges.csproj"),
        FixtureProjects.Shop.MigrationIds);

    [Fact]
    public void Apply_refuses_pending_model_changes_with_EFs_warning_id_unless_allowed()
    {
        using var session = ToolSession.Create(Project, output);

        var refused = session.Run("apply");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains("Microsoft.EntityFrameworkCore.Migrations.PendingModelChangesWarning", refused.StdErr);
        Assert.Contains("dotnet safe-migrate add <Name>", refused.StdErr);
        Assert.Contains("--allow-pending-model-changes", refused.StdErr);
        Assert.Empty(Pg.History(session.ConnectionString));
        Assert.Empty(session.Archives()); // refused before the backup

        var allowed = session.Run("apply", "--allow-pending-model-changes");

        Assert.True(allowed.ExitCode == 0, allowed.Describe());
        Assert.Contains("PendingModelChangesWarning", allowed.StdErr); // said, as a warning
        Assert.Equal(Project.MigrationIds, Pg.History(session.ConnectionString));
    }
}
