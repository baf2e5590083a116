using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Configuration;

namespace EfSafeMigrate.Tests.Configuration;

/// <summary>Finding and reading safe-migrate.json: discovery up to the git root, strict keys, file:line errors.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "safe-migrate-config-" + Guid.NewGuid().ToString("N")[..12]);

    public ConfigFileTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Find_walks_up_from_the_project_folder_to_the_nearest_file()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".git"));
        var top = Write("safe-migrate.json", "{}");
        Directory.CreateDirectory(Path.Combine(_root, "src", "App", "Migrations"));

        Assert.Equal(top, ConfigFile.Find(Path.Combine(_root, "src", "App", "Migrations")));

        var nearer = Write("src/safe-migrate.json", "{}");
        Assert.Equal(nearer, ConfigFile.Find(Path.Combine(_root, "src", "App")));
    }

    [Fact]
    public void Find_stops_at_the_git_work_tree_root_folder_or_file()
    {
        Write("safe-migrate.json", "{}"); // above the work tree: not this repository's
        Directory.CreateDirectory(Path.Combine(_root, "repo", ".git"));
        Directory.CreateDirectory(Path.Combine(_root, "repo", "src"));
        Write("linked/.git", "gitdir: /elsewhere/.git/worktrees/linked");
        Directory.CreateDirectory(Path.Combine(_root, "linked", "src"));

        Assert.Null(ConfigFile.Find(Path.Combine(_root, "repo", "src")));
        Assert.Null(ConfigFile.Find(Path.Combine(_root, "linked", "src")));
        Assert.Equal(Path.Combine(_root, "safe-migrate.json"), ConfigFile.Find(_root));
    }

    [Fact]
    public void Load_reads_every_key_with_its_line_and_resolves_paths_against_the_file()
    {
        var path = Write("cfg/safe-migrate.json", """
            {
              "$schema": "https://example.org/safe-migrate.schema.json",
              // comments are allowed
              "project": "src/App",
              "context": "ShopContext",
              "backup": { "dir": "../dumps", "strategy": "pgdump", "keep": 5, "olderThanDays": 1.5 },
              "check": { "against": "origin/main" },
              "timeouts": { "lockTimeout": 30, "commandTimeout": 0, "ddlLockTimeout": 2, "ddlLockRetries": 1 },
              "lint": { "severities": { "SM501": "warning" }, "smallTableRows": 100, "smallTableMb": 1 },
              "fleet": "fleet.json",
            }
            """);

        var file = ConfigFile.Load(path);

        Assert.Equal((Path.Combine(_root, "cfg", "src", "App"), 4), file.Values["project"]);
        Assert.Equal((Path.Combine(_root, "dumps"), 6), file.Values["backup.dir"]);
        Assert.Equal("5", file.Values["backup.keep"].Value);
        Assert.Equal("1.5", file.Values["backup.olderThanDays"].Value);
        Assert.Equal("origin/main", file.Values["check.against"].Value);
        Assert.Equal(("30", 8), file.Values["timeouts.lockTimeout"]);
        Assert.Equal((LintSeverity.Warning, 9), file.Severities["SM501"]);
        Assert.Equal(Path.Combine(_root, "cfg", "fleet.json"), file.Values["fleet"].Value);
    }

    [Theory]
    [InlineData("{\n  \"backup\": {\n    \"folder\": \"x\"\n  }\n}", 3, "'backup.folder': unknown key")]
    [InlineData("{\n  \"projekt\": \"x\"\n}", 2, "'projekt': unknown key")]
    [InlineData("{\n  \"timeouts\": {\n    \"lockTimeout\": \"60\"\n  }\n}", 3, "'timeouts.lockTimeout': expected a number")]
    [InlineData("{\n  \"backup\": {\n    \"keep\": -1\n  }\n}", 3, "'backup.keep': '-1' is not a whole number")]
    [InlineData("{\n  \"backup\": {\n    \"strategy\": \"tar\"\n  }\n}", 3, "'backup.strategy': 'tar' is not one of 'pgdump'")]
    [InlineData("{\n\n  \"lint\": { \"severities\": { \"SM999\": \"error\" } }\n}", 3, "unknown lint rule 'SM999'")]
    [InlineData("{\n  \"projects\": [\n    { \"project\": \"a\" },\n    { \"context\": \"X\", \"bogus\": 1 }\n  ]\n}", 4, "'projects[1].bogus': unknown key")]
    [InlineData("{\n  \"connection\": \"Host=x\"\n}", 2, "'connection': unknown key")]
    [InlineData("{\n  \"backup\": {\n    \"dir\": \"a\",\n  \n", 5, "invalid JSON")]
    [InlineData("[]", 1, "one JSON object")]
    public void Load_refuses_bad_files_naming_file_line_and_key(string text, int line, string expected)
    {
        var path = Write("safe-migrate.json", text);

        var error = Assert.Throws<CommandException>(() => ConfigFile.Load(path));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.StartsWith($"{path}:{line}: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Every_setting_is_described_in_the_published_schema()
    {
        var schema = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "safe-migrate.schema.json"));
        foreach (var definition in SettingDefinition.All.Where(d => d.Kind != SettingKind.Secret))
        {
            Assert.Contains($"\"{definition.Key.Split('.')[^1]}\"", schema);
            Assert.Contains(definition.EnvironmentVariable, schema);
        }
    }

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EfSafeMigrate.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("EfSafeMigrate.sln not found above " + AppContext.BaseDirectory);
    }
}
