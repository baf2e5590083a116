using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Rehearsal;

public class HistoryTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void History_shows_the_journal_rows_with_sizes_and_filters_by_migration_and_date()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply").ExitCode == 0);
        Assert.True(session.Run("rollback", "--to", Shop.MigrationIds[^2], "--yes").ExitCode == 0);
        var cs = session.ConnectionString;
        var journal = Pg.Strings(cs, "SELECT \"Id\" || '|' || \"MigrationId\" || '|' || \"Action\" || '|' || \"DurationMs\" || '|' || \"UserName\" FROM \"__SafeMigrateJournal\" ORDER BY \"Id\"");

        var history = session.Run("history", "--json");

        Assert.True(history.ExitCode == 0, history.Describe());
        var rows = ToolSession.Json(history).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(journal, rows.Select(r => $"{r.GetProperty("id").GetInt64()}|{r.GetProperty("migration").GetString()}|{r.GetProperty("action").GetString()}|{r.GetProperty("durationMs").GetInt64()}|{r.GetProperty("user").GetString()}"));
        Assert.Equal(Shop.MigrationIds.Count + 1, rows.Count);
        Assert.All(rows, r => Assert.True(r.GetProperty("databaseBytesBefore").ValueKind == System.Text.Json.JsonValueKind.Null || r.GetProperty("databaseBytesAfter").GetInt64() > 0));
        Assert.True(rows[^1].GetProperty("databaseBytesBefore").GetInt64() > 0, "the rollback run records the database size before it");
        Assert.Equal("pending", rows[^1].GetProperty("state").GetString());
        Assert.Equal("applied", rows[0].GetProperty("state").GetString());

        var one = session.Run("history", "--migration", "AddOrdersDropLegacy", "--json");
        Assert.Equal(["apply", "revert"], ToolSession.Json(one).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        var future = session.Run("history", "--since", "2999-01-01", "--json");
        Assert.Empty(ToolSession.Json(future).GetProperty("rows").EnumerateArray());
        var table = session.Run("history");
        Assert.True(table.ExitCode == 0, table.Describe());
        Assert.Contains(Shop.Last, table.StdOut);
        var bad = session.Run("history", "--since", "yesterday-ish");
        Assert.True(bad.ExitCode == 2, bad.Describe());
    }
}
