using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>
/// apply validates before it changes anything (Flyway's validate, on by default): applied migrations unknown to
/// the code (another branch's), applied migrations edited since (the journal's checksum), and an integrity file
/// that is garbage or holds conflict markers each stop it with exit 1; --allow-unknown / --allow-edited proceed.
/// </summary>
public class ApplyValidationTests(ITestOutputHelper output)
{
    private const string Foreign = "20261121064231_FromOtherBranch";

    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Apply_refuses_a_database_with_a_migration_unknown_to_the_code_unless_allow_unknown()
    {
        using var session = ToolSession.Create(Shop, output);
        var cs = session.ConnectionString;
        var upTo = Shop.MigrationIds[2];
        var first = session.Run("apply", upTo, "--no-backup");
        Assert.True(first.ExitCode == 0, first.Describe());
        Pg.Execute(cs, $"INSERT INTO \"{Pg.HistoryTable}\" (\"MigrationId\", \"ProductVersion\") VALUES ('{Foreign}', '10.0.0')");

        var refused = session.Run("apply");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains(Foreign, refused.StdErr);
        Assert.Contains($"rollback --to {upTo}", refused.StdErr);
        Assert.Contains("check --database", refused.StdErr);
        Assert.Contains("--allow-unknown", refused.StdErr);
        Assert.Contains("Nothing was changed", refused.StdErr);
        Assert.Equal(Shop.UpTo(upTo).Append(Foreign).Order(StringComparer.Ordinal), Pg.History(cs));
        Assert.Empty(session.Archives());

        var allowed = session.Run("apply", "--allow-unknown");

        Assert.True(allowed.ExitCode == 0, allowed.Describe());
        Assert.Contains(Foreign, allowed.StdErr); // warned
        Assert.Equal(Shop.MigrationIds.Append(Foreign).Order(StringComparer.Ordinal), Pg.History(cs));
    }

    [Fact]
    public void Apply_refuses_an_edited_applied_migration_and_an_unusable_integrity_file()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        using var database = E2eDatabase.Create();
        output.WriteLine($"database {database.Name}");
        var cs = database.ConnectionString;
        var ids = repo.MigrationIds;
        repo.ToolOk("apply", ids[2], "--connection", cs, "--no-backup");

        // Edit an applied migration (its Up gains a statement): the journal recorded the checksum of the old files.
        var edited = ids[1];
        repo.Edit($"{GitSandbox.Migrations}/{edited}.cs", "                nullable: true);\n",
            "                nullable: true);\n\n            migrationBuilder.Sql(\"UPDATE \\\"Products\\\" SET \\\"Sku\\\" = NULL;\");\n");
        repo.ToolOk("hash"); // the integrity file accepts the edit; the database still ran the old version

        var refused = repo.Tool("apply", "--connection", cs, "--no-backup");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains(edited, refused.StdErr);
        Assert.Contains("SM402", refused.StdErr);
        Assert.Contains("--allow-edited", refused.StdErr);
        Assert.Equal(ids.Take(3), Pg.History(cs));

        // An integrity file with git conflict markers, then one that is garbage: apply stops before connecting.
        var sum = repo.Read(GitSandbox.SumFile);
        var lines = sum.TrimEnd('\n').Split('\n');
        repo.Write(GitSandbox.SumFile, string.Join('\n', lines[..^1]) + "\n<<<<<<< HEAD\n" + lines[^1] + "\n=======\nhead ShopContext 20261121064299_Other\n>>>>>>> other\n");
        var conflicted = repo.Tool("apply", "--connection", cs, "--no-backup", "--no-build", "--allow-edited");
        Assert.True(conflicted.ExitCode == 1, conflicted.ToString());
        Assert.Contains("safe-migrate.sum", conflicted.StdErr);
        Assert.Contains("conflict markers", conflicted.StdErr);

        repo.Write(GitSandbox.SumFile, "this is not an integrity file\n\u0001\u0002garbage\n");
        var garbage = repo.Tool("apply", "--connection", cs, "--no-backup", "--no-build", "--allow-edited");
        Assert.True(garbage.ExitCode == 1, garbage.ToString());
        Assert.Contains("safe-migrate.sum", garbage.StdErr);
        Assert.Contains("not a valid integrity file", garbage.StdErr);
        Assert.Equal(ids.Take(3), Pg.History(cs));

        repo.Write(GitSandbox.SumFile, sum);
        var allowed = repo.Tool("apply", "--connection", cs, "--no-backup", "--no-build", "--allow-edited");

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal(ids, Pg.History(cs));
    }
}
