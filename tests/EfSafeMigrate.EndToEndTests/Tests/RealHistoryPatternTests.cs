using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// Patterns of real EF Core histories (issue 15), each in a fixture of our own: migration ids with spaces,
/// dots and dashes (tests/Fixtures/ShopWithOddMigrationIds), migrations deriving from an abstract base class
/// of the project with an initial migration made only of Sql() (tests/Fixtures/ShopOnScriptsBase), the
/// baseline of a long history for <c>check --build</c> and its model check cache (obj/), and a failed revert.
/// </summary>
[ExpectedSeconds(80)]
public sealed class RealHistoryPatternTests(ITestOutputHelper output) : IDisposable
{
    private const string AddProductSku = "20261121064223_Add Product Sku";
    private const string RenameCustomerName = "20261121064229_Rename.Customer-Name v1.2";
    private const string Initial = "20261121064216_Initial";

    private readonly List<string> _copies = [];

    private static FixtureProject OddIds => new(
        Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithOddMigrationIds", "ShopWithOddMigrationIds.csproj"),
        ["20261121064216_Initial", AddProductSku, RenameCustomerName, "20261121064240_AddUniqueSkuIndex", "20261121064248_SeedCategories", "20261121064259_AddOrdersDropLegacy"]);

    private static FixtureProject ScriptsBase
    {
        get
        {
            var path = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopOnScriptsBase", "ShopOnScriptsBase.csproj");
            return new FixtureProject(path, FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void Hash_writes_ids_with_spaces_and_dots_in_a_file_check_reads()
    {
        var copy = CopyWithoutSum(OddIds);
        using var session = ToolSession.Create(copy, output, build: false);

        var hash = session.Run("hash");

        Assert.True(hash.ExitCode == 0, hash.Describe());
        var sum = File.ReadAllText(SumPath(copy));
        Assert.StartsWith("safe-migrate.sum 2\n", sum, StringComparison.Ordinal);
        Assert.Contains($"ShopContext \"{RenameCustomerName}\" \"{AddProductSku}\" ", sum, StringComparison.Ordinal);
        Assert.Contains($"ShopContext 20261121064240_AddUniqueSkuIndex \"{RenameCustomerName}\" ", sum, StringComparison.Ordinal);
        var check = CheckReport.From(session.Run("check", "--json"));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Empty(check.Findings);
        var again = session.Run("hash");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("Up to date", again.Output);

        File.AppendAllText(Path.Combine(copy.Directory, "Migrations", AddProductSku + ".cs"), "// edited\n");
        var edited = CheckReport.From(session.Run("check", "--json"));

        Assert.True(edited.ExitCode == 1, edited.ToString());
        Assert.Equal([AddProductSku], edited.Single("SM102").Migrations);
    }

    [Fact]
    public void Apply_and_check_with_the_model_and_database_work_with_ids_holding_spaces()
    {
        using var session = ToolSession.Create(OddIds, output);

        var apply = session.Run("apply", "--no-backup");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(OddIds.MigrationIds, Pg.History(session.ConnectionString));
        var check = CheckReport.From(session.Run("check", "--json", "--build", "--database"));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Empty(check.Findings);
        Assert.Equal(0L, Pg.Scalar(session.ConnectionString, "SELECT count(*) FROM \"__SafeMigrateJournal\" WHERE \"Checksum\" IS NULL"));
    }

    [Fact]
    public void Hash_records_migrations_on_an_abstract_base_class_and_check_sees_their_edits()
    {
        var copy = CopyWithoutSum(ScriptsBase);
        using var session = ToolSession.Create(copy, output, build: false);

        var hash = session.Run("hash");

        Assert.True(hash.ExitCode == 0, hash.Describe());
        var sum = File.ReadAllText(SumPath(copy));
        Assert.Contains($"ShopContext {Initial} 0 ", sum, StringComparison.Ordinal);
        Assert.Contains("ShopContext 20261121064248_SeedCategories 20261121064240_AddUniqueSkuIndex ", sum, StringComparison.Ordinal);
        Assert.Contains("ShopContext 20261121064223_AddProductSku 20261121064216_Initial ", sum, StringComparison.Ordinal);
        var check = CheckReport.From(session.Run("check", "--json"));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Empty(check.Findings); // no SM109 for the abstract base class

        File.AppendAllText(Path.Combine(copy.Directory, "Migrations", Initial + ".cs"), "// edited\n");
        var edited = CheckReport.From(session.Run("check", "--json"));

        Assert.True(edited.ExitCode == 1, edited.ToString());
        Assert.Equal([Initial], edited.Single("SM102").Migrations);
    }

    [Fact]
    public void Fake_initial_applies_an_sql_only_initial_migration_on_an_empty_database()
    {
        using var session = ToolSession.Create(ScriptsBase, output);

        var apply = session.Run("apply", "--fake-initial");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Contains("creates no table through CreateTable", apply.Output);
        var cs = session.ConnectionString;
        Assert.Equal(ScriptsBase.MigrationIds, Pg.History(cs));
        Assert.True(Pg.TableExists(cs, "Products") && Pg.TableExists(cs, "OrderLines"), Pg.Describe(cs));
        Assert.Equal(3L, Pg.Scalar(cs, "SELECT count(*) FROM \"Categories\""));
        Assert.Equal(["apply"], Pg.Strings(cs, $"SELECT \"Action\" FROM \"__SafeMigrateJournal\" WHERE \"MigrationId\" = '{Initial}' AND \"Checksum\" IS NOT NULL"));
    }

    [Fact]
    public void Fake_initial_refuses_an_sql_only_initial_migration_on_a_database_with_tables_and_names_apply_fake()
    {
        using var session = ToolSession.Create(ScriptsBase, output);
        var cs = session.ConnectionString;
        Pg.Execute(cs, """
            CREATE TABLE "Categories" ("Id" integer GENERATED BY DEFAULT AS IDENTITY, "Name" character varying(100) NOT NULL, CONSTRAINT "PK_Categories" PRIMARY KEY ("Id"));
            CREATE TABLE "Customers" ("Id" integer GENERATED BY DEFAULT AS IDENTITY, "Name" character varying(200) NOT NULL, "Email" character varying(320) NOT NULL, CONSTRAINT "PK_Customers" PRIMARY KEY ("Id"));
            CREATE TABLE "Products" ("Id" integer GENERATED BY DEFAULT AS IDENTITY, "Name" character varying(200) NOT NULL, "Price" numeric(10,2) NOT NULL, "LegacyCode" character varying(20), "CategoryId" integer NOT NULL,
                CONSTRAINT "PK_Products" PRIMARY KEY ("Id"), CONSTRAINT "FK_Products_Categories_CategoryId" FOREIGN KEY ("CategoryId") REFERENCES "Categories" ("Id") ON DELETE RESTRICT);
            CREATE INDEX "IX_Products_CategoryId" ON "Products" ("CategoryId");
            """);

        var refused = session.Run("apply", "--fake-initial");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains($"dotnet safe-migrate apply --fake {Initial}", refused.Output);
        Assert.Contains("Nothing was changed.", refused.Output);
        Assert.Empty(Pg.History(cs));
        Assert.False(Pg.ColumnExists(cs, "Products", "Sku"));

        var fake = session.Run("apply", "--fake", Initial);
        Assert.True(fake.ExitCode == 0, fake.Describe());
        var rest = session.Run("apply");
        Assert.True(rest.ExitCode == 0, rest.Describe());
        Assert.Equal(ScriptsBase.MigrationIds, Pg.History(cs));
    }

    [Fact]
    public void Check_build_with_a_baseline_checks_only_later_migrations_and_reuses_earlier_results()
    {
        var copy = CopyWithoutSum(ScriptsBase);
        using var session = ToolSession.Create(copy, output);
        Assert.True(session.Run("hash").ExitCode == 0);

        var cold = CheckReport.From(session.Run("check", "--json", "--build"));
        var warm = CheckReport.From(session.Run("check", "--json", "--build"));

        Assert.True(cold.ExitCode == 1, cold.ToString());
        Assert.Equal([Initial], cold.Single("SM303").Migrations); // Sql() only: its operations are not its target model
        Assert.Contains("6 migration(s) compared", cold.Result.StdErr);
        Assert.Equal([Initial], warm.Single("SM303").Migrations);
        Assert.Contains("0 migration(s) compared", warm.Result.StdErr);
        Assert.Contains("6 unchanged since they were last checked (cached result)", warm.Result.StdErr);
        Assert.Equal(cold.Single("SM303").Message, warm.Single("SM303").Message);

        var baseline = session.Run("hash", "--baseline");
        Assert.True(baseline.ExitCode == 0, baseline.Describe());
        Assert.Contains($"baseline ShopContext {copy.Last}\n", File.ReadAllText(SumPath(copy)), StringComparison.Ordinal);
        var accepted = CheckReport.From(session.Run("check", "--json", "--build"));

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Empty(accepted.Findings);
        Assert.Contains($"6 accepted by the baseline '{copy.Last}'", accepted.Result.StdErr);
        var files = CheckReport.From(session.Run("check", "--json"));
        Assert.True(files.ExitCode == 0, files.ToString()); // the baseline line does not disturb the fast tier
    }

    [Fact]
    public void Check_build_cache_in_obj_gives_the_cold_findings_warm_and_checks_an_edited_migration_again()
    {
        var copy = CopyWithoutSum(ScriptsBase);
        var snapshotPath = Path.Combine(copy.Directory, "Migrations", "ShopContextModelSnapshot.cs");
        var snapshot = File.ReadAllText(snapshotPath).ReplaceLineEndings("\n");
        File.WriteAllText(snapshotPath, snapshot.Replace(".HasMaxLength(320)\n                        .HasColumnType(\"character varying(320)\")", ".HasMaxLength(321)\n                        .HasColumnType(\"character varying(321)\")", StringComparison.Ordinal)); // a stale snapshot: SM301 and SM302
        using var session = ToolSession.Create(copy, output);
        Assert.True(session.Run("hash").ExitCode == 0);
        string[] check = ["check", "--json", "--build", "--verbose"];

        var cold = CheckReport.From(session.Run(check));
        var warm = CheckReport.From(session.Run(check));

        Assert.True(cold.ExitCode == 1, cold.ToString());
        Assert.Equal(["SM301", "SM302", "SM303"], cold.Findings.Select(f => f.Code).Order(StringComparer.Ordinal));
        Assert.Contains("6 migration(s) compared", cold.Result.StdErr);
        Assert.DoesNotContain("(cached result)", cold.Result.StdErr);
        Assert.Equal(cold.Result.StdOut, warm.Result.StdOut); // the same findings, messages and fixes
        Assert.Contains("0 migration(s) compared", warm.Result.StdErr);
        Assert.Matches(@"snapshot against the newest target model [^,]+ \(cached result\)", warm.Result.StdErr);
        var cache = Path.Combine(copy.Directory, "obj", "safe-migrate", "model-check-cache");
        Assert.True(File.Exists(cache), cache);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(copy.Directory)!, ".git", "safe-migrate", "model-check-cache"))); // build output, not the repository

        // An edited migration (built again): it and its child are compared again, the others come from the cache.
        File.AppendAllText(Path.Combine(copy.Directory, "Migrations", "20261121064240_AddUniqueSkuIndex.cs"), "// edited\n");
        Assert.True(session.Run("hash").ExitCode == 0);
        var edited = CheckReport.From(session.Run(new RunOptions { Build = true }, [.. check, "--configuration", FixtureProjects.Configuration]));

        Assert.Equal(cold.Result.StdOut, edited.Result.StdOut);
        Assert.Contains("2 migration(s) compared", edited.Result.StdErr);
        Assert.Contains("4 unchanged since they were last checked (cached result)", edited.Result.StdErr);
        Assert.DoesNotMatch(@"snapshot against the newest target model [^,]+ \(cached result\)", edited.Result.StdErr); // every migration is in its key

        // --no-build after an edit: the built assembly is not the sources, so the cache is neither read nor written.
        File.AppendAllText(Path.Combine(copy.Directory, "Migrations", "20261121064240_AddUniqueSkuIndex.cs"), "// edited again\n");
        Assert.True(session.Run("hash").ExitCode == 0);
        var stale = CheckReport.From(session.Run(check));

        Assert.Contains("Model check cache not used: 'Migrations/20261121064240_AddUniqueSkuIndex.cs' is newer than the built assembly", stale.Result.StdErr);
        Assert.Contains("6 migration(s) compared", stale.Result.StdErr);
        Assert.Equal(cold.Result.StdOut, stale.Result.StdOut);

        // A corrupt cache file is a miss: the next run (built) checks everything again and finds the same.
        File.WriteAllLines(cache, ["safe-migrate model-check-cache 2", new string('a', 64) + "\tnot base64!", new string('b', 64) + "\t" + Convert.ToBase64String("{}"u8), "short\t"]);
        var corrupt = CheckReport.From(session.Run(new RunOptions { Build = true }, [.. check, "--configuration", FixtureProjects.Configuration]));

        Assert.Contains("6 migration(s) compared", corrupt.Result.StdErr);
        Assert.Equal(cold.Result.StdOut, corrupt.Result.StdOut);
    }

    [Fact]
    public void Check_build_against_a_ref_also_checks_baseline_migrations_changed_since_the_merge_base()
    {
        var copy = CopyWithoutSum(ScriptsBase);
        using var session = ToolSession.Create(copy, output);
        Assert.True(session.Run("hash", "--baseline").ExitCode == 0);
        Git(Path.GetDirectoryName(copy.Directory)!, "add", "-A");
        Git(Path.GetDirectoryName(copy.Directory)!, "-c", "user.name=E2E", "-c", "user.email=e2e@example.invalid", "commit", "-q", "-m", "baseline");
        File.AppendAllText(Path.Combine(copy.Directory, "Migrations", Initial + ".cs"), "// edited after the baseline\n");

        var plain = CheckReport.From(session.Run("check", "--json", "--build"));
        var against = CheckReport.From(session.Run("check", "--json", "--build", "--against", "HEAD"));

        Assert.Equal([Initial], plain.Single("SM102").Migrations);
        Assert.Empty(plain.WithCode("SM303"));
        Assert.Equal([Initial], against.Single("SM303").Migrations); // changed since the merge base: checked despite the baseline
        Assert.Contains("1 migration(s) compared", against.Result.StdErr);
    }

    [Fact]
    public void A_failed_revert_says_how_to_continue_the_rollback_not_to_apply()
    {
        var shop = FixtureProjects.Shop;
        using var session = ToolSession.Create(shop, output);
        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var third = shop.MigrationIds[2];
        Pg.Execute(session.ConnectionString, "DROP TABLE \"OrderLines\";"); // the last migration's Down drops it: that step fails

        var rollback = session.Run("rollback", "--to", third, "--yes");

        Assert.True(rollback.ExitCode == 5, rollback.Describe());
        Assert.Contains($"dotnet safe-migrate rollback --to {third}' to continue the rollback", rollback.Output);
        Assert.Contains("rollback --backup", rollback.Output);
        Assert.DoesNotContain("'dotnet safe-migrate apply' again", rollback.Output);
        Assert.Equal(shop.MigrationIds, Pg.History(session.ConnectionString));
    }

    public void Dispose()
    {
        foreach (var copy in _copies)
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static void Git(string directory, params string[] arguments)
    {
        var result = RunningProcess.Run("git", arguments, directory, TimeSpan.FromMinutes(1), GitEnvironment);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    private static Dictionary<string, string?> GitEnvironment => new() { ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1" };

    private static string SumPath(FixtureProject project) => Path.Combine(project.Directory, "Migrations", "safe-migrate.sum");

    /// <summary>
    /// A copy of a fixture (without bin, obj and its safe-migrate.sum) inside the repository's .tmp, where the
    /// repository's Directory.Build files still apply, for tests that write files.
    /// </summary>
    private FixtureProject CopyWithoutSum(FixtureProject fixture)
    {
        var root = Path.Combine(RepoPaths.E2eTemp, "fixture-copies", Guid.NewGuid().ToString("N")[..12]);
        var target = Path.Combine(root, Path.GetFileName(fixture.Directory));
        foreach (var file in Directory.EnumerateFiles(fixture.Directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(fixture.Directory, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj" || Path.GetFileName(file) == "safe-migrate.sum")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        _copies.Add(root);
        Git(root, "init", "-q"); // its own repository: the tool's caches stay in the copy
        return new FixtureProject(Path.Combine(target, Path.GetFileName(fixture.ProjectPath)), fixture.MigrationIds);
    }
}
