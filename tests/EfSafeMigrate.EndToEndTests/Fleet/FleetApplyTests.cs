using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Fleet;

/// <summary>
/// <c>apply --fleet</c> on 30 tenant databases of the sample, cloned from one database at the sample's fifth migration
/// (<c>CREATE DATABASE ... TEMPLATE</c>), so that one migration (AddOrdersDropLegacy) is pending everywhere. One tenant
/// is broken: it already has an "Orders" table, so AddOrdersDropLegacy fails there (after its DropColumn, in the same
/// transaction). Shards, the canary, --continue, the broken tenant left exactly as it was with its backup named, and the
/// rerun that finishes it and skips the others.
/// </summary>
[ExpectedSeconds(65)]
public class FleetApplyTests(ITestOutputHelper output)
{
    private const int Tenants = 30;
    private const int Broken = 1; // position of the broken tenant: in shard 2 of 3, among the first 3 canaries

    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Fleet_apply_shards_canaries_continues_past_a_broken_tenant_and_a_rerun_finishes_it()
    {
        using var session = ToolSession.Create(Shop, output);
        var server = E2eDatabase.ServerConnectionString;
        var before = Shop.MigrationIds[4];
        var template = session.Run("apply", before, "--no-backup");
        Assert.True(template.ExitCode == 0, template.Describe());
        Pg.WaitForNoOtherSessions(server, session.DatabaseName, TimeSpan.FromSeconds(30));

        var prefix = "fleet_" + Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(1, Tenants).Select(i => $"{prefix}_{i:00}").ToList();
        string Cs(int position) => Pg.WithDatabase(session.ConnectionString, names[position]);
        try
        {
            foreach (var name in names)
            {
                Pg.Execute(server, $"CREATE DATABASE {Pg.Identifier(name)} TEMPLATE {Pg.Identifier(session.DatabaseName)}");
            }

            Pg.Execute(Cs(Broken), "CREATE TABLE \"Orders\" (\"Id\" integer PRIMARY KEY, \"Note\" text)");
            var brokenSchema = Pg.SchemaDump(Cs(Broken));

            // Names on the server of the application's connection string, with labels and groups; a comment and a blank line.
            var list = Path.Combine(session.WorkDir, "tenants.txt");
            File.WriteAllLines(list, new[] { "# tenants of the sample", "" }.Concat(names.Select((n, i) => $"{n}  label=t{i + 1:00} group={(i % 2 == 0 ? "eu" : "us")}")));

            // 1. --shard 1/3, the list on standard input: exactly positions 0, 3, 6, ... (10 tenants) are migrated.
            var shard = RunWithInput(session, list, "apply", "--connections-from", "-", "--shard", "1/3", "--no-backup", "--json");
            Assert.True(shard.ExitCode == 0, shard.Describe());
            var shardJson = FleetJson(shard);
            Assert.Equal("1/3", shardJson.GetProperty("shard").GetString());
            var shardLabels = shardJson.GetProperty("databases").EnumerateArray().Select(d => d.GetProperty("label").GetString()).ToList();
            Assert.Equal(Enumerable.Range(0, Tenants).Where(p => p % 3 == 0).Select(p => $"t{p + 1:00}"), shardLabels);
            Assert.All(shardJson.GetProperty("databases").EnumerateArray(), d => Assert.Equal("migrated", d.GetProperty("status").GetString()));
            for (var p = 0; p < Tenants; p++)
            {
                Assert.Equal(p % 3 == 0 ? Shop.MigrationIds : Shop.UpTo(before), Pg.History(Cs(p)));
            }

            // 2. The canary: the first 3 run first; the broken one is among them, so nothing else starts (even with --continue).
            var canary = session.Run("apply", "--fleet", list, "--canary", "3", "--continue", "--json");
            Assert.True(canary.ExitCode == 5, canary.Describe());
            var canaryJson = FleetJson(canary);
            Assert.True(canaryJson.GetProperty("canaryFailed").GetBoolean());
            var statuses = canaryJson.GetProperty("databases").EnumerateArray().Select(d => d.GetProperty("status").GetString()).ToList();
            Assert.Equal(new[] { "up-to-date", "failed", "migrated" }.Concat(Enumerable.Repeat("skipped", Tenants - 3)), statuses);
            Assert.Contains("t02", canary.StdErr);
            Assert.Contains("canaries", canary.StdErr);
            Assert.Equal(Shop.UpTo(before), Pg.History(Cs(Broken)));
            Assert.Equal(Shop.UpTo(before), Pg.History(Cs(4))); // not started
            Assert.Equal(2, session.Archives().Count); // the broken one's and t03's; t01 was up to date

            // 2b. --stop-on-failure (the default), one at a time: after the broken one, nothing else starts.
            var stop = session.Run("apply", "--fleet", list, "--parallel", "1", "--no-backup", "--json");
            Assert.True(stop.ExitCode == 5, stop.Describe());
            var stopStatuses = FleetJson(stop).GetProperty("databases").EnumerateArray().Select(d => d.GetProperty("status").GetString()).ToList();
            Assert.Equal(new[] { "up-to-date", "failed" }.Concat(Enumerable.Repeat("skipped", Tenants - 2)), stopStatuses);
            Assert.Contains("28 were not started", stop.StdErr);
            Assert.Equal(Shop.UpTo(before), Pg.History(Cs(4)));

            // 3. --continue: every other tenant is migrated; the broken one is named with its backup and left exactly as it was.
            var archivesBefore = session.Archives();
            var all = session.Run(RunOptions.Default with { Timeout = TimeSpan.FromMinutes(5) }, "apply", "--fleet", list, "--continue", "--parallel", "3");
            Assert.True(all.ExitCode == 5, all.Describe());
            var brokenBackup = session.Archives().Except(archivesBefore).Single(a => Path.GetFileName(a).StartsWith(names[Broken] + "_", StringComparison.Ordinal));
            Assert.Contains("1 of the 30 database(s) failed", all.StdErr);
            Assert.Contains($"- t02 (line 4 of {list}, database '{names[Broken]}')", all.StdErr);
            Assert.Contains("relation \"Orders\" already exists", all.StdErr);
            Assert.Contains("Backup: " + brokenBackup, all.StdErr);
            Assert.DoesNotContain(new global::Npgsql.NpgsqlConnectionStringBuilder(session.ConnectionString).Password!, all.Output);
            for (var p = 0; p < Tenants; p++)
            {
                Assert.Equal(p == Broken ? Shop.UpTo(before) : Shop.MigrationIds, Pg.History(Cs(p)));
            }

            Assert.Equal(brokenSchema, Pg.SchemaDump(Cs(Broken))); // not half-applied: LegacyCode is still there, no OrderLines
            Assert.True(Pg.ColumnExists(Cs(Broken), "Products", "LegacyCode"));

            // 4. The broken tenant fixed, the same command again: it is migrated, the 29 others are skipped (no backup taken).
            Pg.Execute(Cs(Broken), "DROP TABLE \"Orders\"");
            var archivesBeforeRerun = session.Archives();
            var rerun = session.Run("apply", "--fleet", list, "--json");
            Assert.True(rerun.ExitCode == 0, rerun.Describe());
            var rerunJson = FleetJson(rerun).GetProperty("databases").EnumerateArray().ToList();
            Assert.Equal(Tenants, rerunJson.Count);
            Assert.Equal("migrated", rerunJson[Broken].GetProperty("status").GetString());
            Assert.Equal(before, rerunJson[Broken].GetProperty("before").GetString());
            Assert.Equal(Shop.Last, rerunJson[Broken].GetProperty("after").GetString());
            Assert.All(rerunJson.Where((_, i) => i != Broken), d => Assert.Equal("up-to-date", d.GetProperty("status").GetString()));
            Assert.Equal(names[Broken], Path.GetFileName(Assert.Single(session.Archives().Except(archivesBeforeRerun)))[..names[Broken].Length]);
            Assert.All(Enumerable.Range(0, Tenants), p => Assert.Equal(Shop.MigrationIds, Pg.History(Cs(p))));
        }
        finally
        {
            foreach (var name in names)
            {
                Pg.DropDatabaseIfExists(server, name);
            }
        }
    }

    [Fact]
    public void Fleet_list_errors_name_the_line_and_never_the_password()
    {
        using var session = ToolSession.Create(Shop, output);
        var list = Path.Combine(session.WorkDir, "tenants.txt");
        File.WriteAllText(list, "# tenants\ntenant_a label=a\nHost=db;Port=notaport;Database=b;Password=s3cr3t-pw label=b\n");

        var malformed = session.Run("apply", "--fleet", list);

        Assert.True(malformed.ExitCode == 2, malformed.Describe());
        Assert.Contains($"The fleet list {list} line 3: the connection string is not valid", malformed.StdErr);
        Assert.Contains("Nothing was changed", malformed.StdErr);
        Assert.DoesNotContain("s3cr3t-pw", malformed.Output);

        File.WriteAllText(list, "tenant_a\ntenant_b\ntenant_a label=again\n");
        var duplicate = session.Run("apply", "--fleet", list);
        Assert.True(duplicate.ExitCode == 2, duplicate.Describe());
        Assert.Contains("line 3: database 'tenant_a' is listed twice (also on line 1)", duplicate.StdErr);

        var shard = session.Run("apply", "--fleet", list, "--shard", "4/3");
        Assert.True(shard.ExitCode == 2, shard.Describe());
        Assert.Contains("--shard takes I/N", shard.StdErr);

        var stray = session.Run("apply", "--canary", "2");
        Assert.True(stray.ExitCode == 2, stray.Describe());
        Assert.Contains("--canary applies to a fleet", stray.StdErr);
    }

    [Fact]
    public void Fleet_of_a_json_list_exits_4_when_every_failure_is_a_backup_and_then_applies()
    {
        using var session = ToolSession.Create(Shop, output);
        var other = session.CreateExtraDatabase();
        var list = Path.Combine(session.WorkDir, "tenants.json");
        File.WriteAllText(list, $$"""
            [
              { "database": "{{session.DatabaseName}}", "label": "main", "group": "eu" },
              { "connection": "{{other.ConnectionString}}", "label": "other" }
            ]
            """);
        // Both exist with the first migration applied, so both get a backup; the backup folder is a file: every backup fails.
        Assert.True(session.Run("apply", Shop.MigrationIds[0], "--no-backup").ExitCode == 0);
        Assert.True(session.Run(RunOptions.Default with { Connection = other.ConnectionString }, "apply", Shop.MigrationIds[0], "--no-backup").ExitCode == 0);
        var notAFolder = Path.Combine(session.WorkDir, "not-a-folder");
        File.WriteAllText(notAFolder, "x");

        var failed = session.Run(RunOptions.Default with { BackupDir = notAFolder }, "apply", "--fleet", list, "--continue", "--json");

        Assert.True(failed.ExitCode == 4, failed.Describe());
        var databases = FleetJson(failed).GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(["main", "other"], databases.Select(d => d.GetProperty("label").GetString()));
        Assert.All(databases, d => Assert.Equal(4, d.GetProperty("exitCode").GetInt32()));
        Assert.Contains("- other (line 2 of", failed.StdErr);
        Assert.DoesNotContain(new global::Npgsql.NpgsqlConnectionStringBuilder(other.ConnectionString).Password!, failed.Output);
        Assert.Equal(Shop.UpTo(Shop.MigrationIds[0]), Pg.History(session.ConnectionString));
        Assert.Equal(Shop.UpTo(Shop.MigrationIds[0]), Pg.History(other.ConnectionString));

        var applied = session.Run("apply", "--fleet", list, "--json");

        Assert.True(applied.ExitCode == 0, applied.Describe());
        var json = FleetJson(applied);
        Assert.Equal(2, json.GetProperty("summary").GetProperty("migrated").GetInt32());
        Assert.Equal("eu", json.GetProperty("databases")[0].GetProperty("group").GetString());
        Assert.All(json.GetProperty("databases").EnumerateArray(), d => Assert.True(File.Exists(d.GetProperty("backup").GetString()), d.ToString()));
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(Shop.MigrationIds, Pg.History(other.ConnectionString));
    }

    private ProcessResult RunWithInput(ToolSession session, string inputFile, params string[] arguments)
    {
        var all = new List<string> { "-c", "exec \"$0\" \"$@\" < \"$FLEET_LIST\"", ToolInstallation.Executable };
        all.AddRange(arguments);
        all.AddRange(["-p", session.Project.ProjectPath, "--no-color", "--backup-dir", session.BackupDir, "--no-build", "--configuration", FixtureProjects.Configuration]);
        using var process = RunningProcess.Start("/bin/sh", all, session.WorkDir, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Shop"] = session.ConnectionString,
            ["FLEET_LIST"] = inputFile,
        });
        var result = process.WaitForExit(TimeSpan.FromMinutes(3));
        session.Log(result);
        return result;
    }

    /// <summary>The fleet's <c>--json</c> document, checked against docs/json/apply-fleet.schema.json first.</summary>
    private static JsonElement FleetJson(ProcessResult result)
    {
        Assert.Null(EfSafeMigrate.Testing.MachineOutputSchemas.Problems("apply fleet", result.StdOut));
        return ToolSession.Json(result);
    }
}
