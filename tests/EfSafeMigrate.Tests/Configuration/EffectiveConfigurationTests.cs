using EfSafeMigrate.Tool;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Configuration;

namespace EfSafeMigrate.Tests.Configuration;

/// <summary>Layering: defaults &lt; safe-migrate.json &lt; SAFE_MIGRATE_* &lt; command line; each value with its source.</summary>
public sealed class EffectiveConfigurationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "safe-migrate-layers-" + Guid.NewGuid().ToString("N")[..12]);

    public EffectiveConfigurationTests() => Directory.CreateDirectory(Path.Combine(_root, ".git"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ConfigFile File(string json)
    {
        var path = Path.Combine(_root, "safe-migrate.json");
        System.IO.File.WriteAllText(path, json);
        return ConfigFile.Load(path);
    }

    [Fact]
    public void Defaults_file_environment_and_command_line_override_in_that_order()
    {
        var file = File("""
            {
              "backup": { "dir": "from-file", "keep": 3 },
              "timeouts": { "lockTimeout": 10, "ddlLockRetries": 7 }
            }
            """);
        var environment = new Dictionary<string, string> { ["SAFE_MIGRATE_LOCK_TIMEOUT"] = "20", ["SAFE_MIGRATE_BACKUP_DIR"] = "from-env" };
        var app = RootCommand.Create(TextWriter.Null, environment: _ => null);
        var apply = app.Parse("apply", "-p", Path.Combine(_root, "elsewhere"), "--backup-dir", "from-cli").SelectedCommand;

        var configuration = EffectiveConfiguration.Build(file, name => environment.GetValueOrDefault(name), apply);

        Assert.Equal(("60", SettingOrigin.Default), Of(EffectiveConfiguration.Defaults, SettingDefinition.LockTimeout));
        Assert.Equal((Path.GetFullPath("from-cli"), SettingOrigin.CommandLine), Of(configuration, SettingDefinition.BackupDir));
        Assert.Equal(("20", SettingOrigin.Environment), Of(configuration, SettingDefinition.LockTimeout));
        Assert.Equal(("7", SettingOrigin.File), Of(configuration, SettingDefinition.DdlLockRetries));
        Assert.Equal(("3", SettingOrigin.File), Of(configuration, SettingDefinition.BackupKeep));
        Assert.Equal(("5", SettingOrigin.Default), Of(configuration, SettingDefinition.DdlLockTimeout));
        Assert.Equal("--backup-dir", configuration[SettingDefinition.BackupDir].Source.Describe());
        Assert.Equal("env SAFE_MIGRATE_LOCK_TIMEOUT", configuration[SettingDefinition.LockTimeout].Source.Describe());
        Assert.Equal($"{file.Path}:3", configuration[SettingDefinition.DdlLockRetries].Source.Describe());
    }

    [Fact]
    public void Apply_gives_a_command_the_options_it_takes_and_leaves_typed_ones_alone()
    {
        System.IO.File.WriteAllText(Path.Combine(_root, "safe-migrate.json"), """
            { "backup": { "dir": "dumps", "keep": 2 }, "timeouts": { "lockTimeout": 11 }, "check": { "against": "origin/main" } }
            """);
        var environment = new Dictionary<string, string> { ["SAFE_MIGRATE_CONNECTION"] = "Host=db;Database=shop;Username=app" };

        var apply = Parse(["apply", "-p", _root, "--lock-timeout", "99"], environment);
        Assert.Equal(Path.Combine(_root, "dumps"), Option(apply, "backup-dir"));
        Assert.Equal("99", Option(apply, "lock-timeout"));
        Assert.Equal("Host=db;Database=shop;Username=app", Option(apply, "connection"));
        Assert.Null(apply.GetOptions().SingleOrDefault(o => o.LongName == "keep")); // backup.keep is retention, not an option of apply

        var prune = Parse(["backup", "prune", "-p", _root], environment);
        Assert.Equal("2", Option(prune, "keep"));

        Assert.Equal("origin/main", Option(Parse(["check", "-p", _root], environment), "against"));
        Assert.Null(Option(Parse(["check", "--staged", "-p", _root], environment), "against"));

        var status = Parse(["status", "-p", _root], environment);
        Assert.DoesNotContain(status.GetOptions(), o => o.LongName is "backup-dir" or "yes" or "lock-timeout");
    }

    [Fact]
    public void Environment_values_are_checked_and_named()
    {
        var error = Assert.Throws<CommandException>(() => EffectiveConfiguration.Build(null, name => name == "SAFE_MIGRATE_DDL_LOCK_RETRIES" ? "many" : null, null));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Contains("SAFE_MIGRATE_DDL_LOCK_RETRIES", error.Message);
    }

    [Fact]
    public void The_first_projects_entry_supplies_project_and_context_when_the_top_level_has_none()
    {
        var file = File("""
            { "projects": [ { "project": "src/A/A.csproj", "context": "AContext" }, { "project": "src/B" } ] }
            """);

        var configuration = EffectiveConfiguration.Build(file, _ => null, null);

        Assert.Equal(Path.Combine(_root, "src", "A", "A.csproj"), configuration[SettingDefinition.Project].Value);
        Assert.Equal("AContext", configuration[SettingDefinition.Context].Value);
        Assert.Equal(2, configuration.Projects.Count);
    }

    [Fact]
    public void Lint_severities_from_the_file_come_before_the_typed_ones()
    {
        System.IO.File.WriteAllText(Path.Combine(_root, "safe-migrate.json"), """{ "lint": { "severities": { "SM501": "info" }, "smallTableRows": 5 } }""");

        var lint = Parse(["lint", "-p", _root, "--severity", "SM501=error"], new Dictionary<string, string>());

        Assert.Equal(["SM501=info", "SM501=error"], lint.GetOptions().Single(o => o.LongName == "severity").Values);
        Assert.Equal("5", Option(lint, "small-table-rows"));
    }

    private static McMaster.Extensions.CommandLineUtils.CommandLineApplication Parse(string[] arguments, Dictionary<string, string> environment)
    {
        var app = RootCommand.Create(TextWriter.Null, environment: name => environment.GetValueOrDefault(name));
        return app.Parse(arguments).SelectedCommand; // parsing applies the configuration
    }

    private static string? Option(McMaster.Extensions.CommandLineUtils.CommandLineApplication command, string name)
        => command.GetOptions().Single(o => o.LongName == name).Value();

    private static (string?, SettingOrigin) Of(EffectiveConfiguration configuration, SettingDefinition definition)
        => (configuration[definition].Value, configuration[definition].Source.Origin);
}
