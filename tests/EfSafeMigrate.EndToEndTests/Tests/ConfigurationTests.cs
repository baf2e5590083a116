using System.Text.Json;
using System.Text.Json.Nodes;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Json.Schema;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>safe-migrate.json, SAFE_MIGRATE_* variables, <c>config show</c> and <c>init</c>, run as the packed tool.</summary>
public class ConfigurationTests(ITestOutputHelper output)
{
    private static readonly SandboxRun NoProject = new() { WithProject = false };

    /// <summary>init on a fresh repository with a copy of the sample: config (valid per the schema), sum file, hook, .gitignore.</summary>
    [Fact]
    public void Init_writes_the_config_hashes_installs_the_hook_and_ignores_the_backup_folder()
    {
        using var sandbox = GitSandbox.CreateFromShop(output.WriteLine);
        File.Delete(sandbox.FullPath(".gitignore"));
        File.Delete(sandbox.FullPath(GitSandbox.SumFile));
        sandbox.GitOk("add", "-A");
        sandbox.GitOk("commit", "-q", "-m", "no .gitignore, no sum file");

        var init = sandbox.ToolOk(NoProject, "init");

        var config = sandbox.Read("safe-migrate.json");
        var document = JsonNode.Parse(config)!;
        Assert.Equal("Shop/Shop.csproj", (string?)document["project"]);
        Assert.Equal("ShopContext", (string?)document["context"]);
        Assert.Equal("Shop/backups", (string?)document["backup"]!["dir"]);
        Assert.EndsWith("docs/safe-migrate.schema.json", (string?)document["$schema"]);
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "safe-migrate.schema.json")));
        var validation = schema.Evaluate(JsonNode.Parse(config), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(validation.IsValid, JsonSerializer.Serialize(validation) + Environment.NewLine + config);
        Assert.True(File.Exists(sandbox.FullPath(GitSandbox.SumFile)), init.Describe());
        Assert.Contains("check --staged", File.ReadAllText(sandbox.FullPath(".git/hooks/pre-commit")));
        Assert.Contains("/Shop/backups/", sandbox.Read(".gitignore").Split('\n'));
        Assert.Equal("0", sandbox.Git("check-ignore", "-q", "Shop/backups/x.dump").ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var again = sandbox.Tool(NoProject, "init");
        Assert.True(again.ExitCode == 1, again.Describe());
        Assert.Contains("--force", again.StdErr);
        Assert.Equal(config, sandbox.Read("safe-migrate.json"));

        sandbox.ToolOk(NoProject, "init", "--force");
        Assert.Single(sandbox.Read(".gitignore").Split('\n'), l => l == "/Shop/backups/");

        // The file init wrote is what the other commands read: status of the copy with no -p names its project's config.
        var show = sandbox.ToolOk(NoProject, "config", "show", "--json");
        var project = Setting(show, "project");
        Assert.Equal(sandbox.ProjectPath, project.GetProperty("value").GetString());
        Assert.Equal(sandbox.FullPath("safe-migrate.json") + ":3", project.GetProperty("source").GetString());
    }

    /// <summary>config show names each value's source: default, file:line, environment variable, option; never a password.</summary>
    [Fact]
    public void Config_show_reports_default_file_environment_and_command_line_sources()
    {
        using var sandbox = GitSandbox.CreateFromShop(output.WriteLine);
        File.WriteAllText(sandbox.FullPath("safe-migrate.json"), """
            {
              "project": "Shop",
              "backup": { "dir": "dumps", "keep": 4 },
              "timeouts": { "lockTimeout": 15, "ddlLockRetries": 9 },
              "lint": { "severities": { "SM501": "warning" } }
            }
            """);
        var run = NoProject with
        {
            Environment = new Dictionary<string, string?>
            {
                ["SAFE_MIGRATE_LOCK_TIMEOUT"] = "25",
                ["SAFE_MIGRATE_CONNECTION"] = "Host=db.example;Database=shop;Username=app;Password=TopSecret42",
            },
        };

        var show = sandbox.ToolOk(run, "config", "show", "--json", "--ddl-lock-retries", "2");
        var file = sandbox.FullPath("safe-migrate.json");

        Assert.Equal((sandbox.FullPath("dumps"), file + ":3"), ValueAndSource(show, "backup.dir"));
        Assert.Equal(("4", file + ":3"), ValueAndSource(show, "backup.keep"));
        Assert.Equal(("25", "env SAFE_MIGRATE_LOCK_TIMEOUT"), ValueAndSource(show, "timeouts.lockTimeout"));
        Assert.Equal(("2", "--ddl-lock-retries"), ValueAndSource(show, "timeouts.ddlLockRetries"));
        Assert.Equal(("5", "default"), ValueAndSource(show, "timeouts.ddlLockTimeout"));
        Assert.Equal(("database \"shop\" on db.example:5432 as user \"app\"", "env SAFE_MIGRATE_CONNECTION"), ValueAndSource(show, "connection"));
        Assert.DoesNotContain("TopSecret42", show.Output);
        var severity = Assert.Single(SessionJson(show).GetProperty("lintSeverities").EnumerateArray());
        Assert.Equal("SM501", severity.GetProperty("code").GetString());

        var table = sandbox.ToolOk(run, "config", "show");
        Assert.Contains("env SAFE_MIGRATE_LOCK_TIMEOUT", table.StdOut);
        Assert.DoesNotContain("TopSecret42", table.Output);

        // An unknown key: exit 2 naming file, line and key.
        File.WriteAllText(file, "{\n  \"backup\": {\n    \"folder\": \"x\"\n  }\n}\n");
        var bad = sandbox.Tool(NoProject, "status");
        Assert.True(bad.ExitCode == 2, bad.Describe());
        Assert.Contains($"{file}:3: 'backup.folder': unknown key", bad.StdErr);
    }

    /// <summary>
    /// With no -p, --backup-dir or --connection, apply takes the project and the backup folder from safe-migrate.json
    /// and the connection string from SAFE_MIGRATE_CONNECTION; it warns while git does not ignore the backup folder; and
    /// backup.keep prunes the older backup after the second apply (one line).
    /// </summary>
    [Fact]
    public void Apply_writes_its_backup_where_the_config_says_and_retention_prunes_after_it()
    {
        FixtureProjects.EnsureBuilt(FixtureProjects.Shop);
        using var database = E2eDatabase.Create();
        var work = Path.Combine(RepoPaths.E2eTemp, "config-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            var git = RunningProcess.Run("git", ["init", "-q"], work, TimeSpan.FromMinutes(1), new Dictionary<string, string?> { ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1" });
            Assert.True(git.ExitCode == 0, git.Describe());
            File.WriteAllText(Path.Combine(work, "safe-migrate.json"), $$"""
                {
                  "project": {{JsonSerializer.Serialize(FixtureProjects.Shop.ProjectPath)}},
                  "backup": { "dir": "nightly-dumps", "keep": 1 }
                }
                """);
            var shop = FixtureProjects.Shop;
            ProcessResult Run(params string[] arguments)
            {
                using var process = RunningProcess.Start(ToolInstallation.Executable,
                    [.. arguments, "--no-build", "--configuration", FixtureProjects.Configuration, "--no-color"], work,
                    new Dictionary<string, string?>
                    {
                        ["ConnectionStrings__Shop"] = GitSandbox.NoDatabase, // the application's own: must not be used
                        ["SAFE_MIGRATE_CONNECTION"] = database.ConnectionString,
                    });
                var result = process.WaitForExit(TimeSpan.FromMinutes(3));
                output.WriteLine(result.Describe(8_000));
                return result;
            }

            var first = Run("apply", shop.MigrationIds[^2]);
            Assert.True(first.ExitCode == 0, first.Describe());
            var dumps = Path.Combine(work, "nightly-dumps");
            var firstArchive = Assert.Single(Directory.GetFiles(dumps, "*.dump"));
            Assert.Contains("git does not ignore it", first.StdErr);
            Assert.Contains("/nightly-dumps/' >> ", first.StdErr);
            File.WriteAllText(Path.Combine(work, ".gitignore"), "/nightly-dumps/\n");
            Assert.False(Directory.Exists(Path.Combine(shop.Directory, "backups", Path.GetFileName(firstArchive))));

            var second = Run("apply");
            Assert.True(second.ExitCode == 0, second.Describe());
            var kept = Assert.Single(Directory.GetFiles(dumps, "*.dump"));
            Assert.NotEqual(firstArchive, kept);
            Assert.DoesNotContain("git does not ignore it", second.StdErr);
            Assert.False(File.Exists(firstArchive + ".json"));
            Assert.Contains($"Retention (keep 1 ({Path.Combine(work, "safe-migrate.json")}:3)): deleted 1 older backup(s)", second.StdErr);
            Assert.Equal(shop.MigrationIds, Pg.History(database.ConnectionString));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The <c>config show --json</c> document, checked against docs/json/config-show.schema.json first.</summary>
    private static JsonElement SessionJson(ProcessResult result)
    {
        Assert.Null(EfSafeMigrate.Testing.MachineOutputSchemas.Problems("config show", result.StdOut));
        return ToolSession.Json(result);
    }

    private static JsonElement Setting(ProcessResult result, string key)
        => SessionJson(result).GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    private static (string?, string?) ValueAndSource(ProcessResult result, string key)
    {
        var setting = Setting(result, key);
        return (setting.GetProperty("value").GetString(), setting.GetProperty("source").GetString());
    }
}
