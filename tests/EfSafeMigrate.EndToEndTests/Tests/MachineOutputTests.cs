using System.Text;
using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// The <c>--json</c> contract: every command that takes <c>--json</c> has a published schema (<c>docs/json</c>), and the
/// real document of each, from the packed tool on a clone of the sample's two-branch repository and one real database,
/// matches it. The commands run once per class (<see cref="MachineOutputRun"/>), in the order a team would use them;
/// each document is then checked by its own test. <c>squash</c> and the refused and rebase forms of <c>merge</c> are
/// checked where their scenarios run (SquashLifecycleTests, MergeTests, RebaseTests).
/// </summary>
public sealed class MachineOutputTests(MachineOutputRun run, ITestOutputHelper output) : IClassFixture<MachineOutputRun>
{
    /// <summary>The documents the run writes, by schema name (the command's words joined with <c>-</c>).</summary>
    public static TheoryData<string> Documents => new(MachineOutputRun.Commands.Select(c => c.Schema).Distinct());

    [Theory]
    [MemberData(nameof(Documents))]
    public void Json_document_matches_its_published_schema(string schema)
    {
        output.WriteLine(run.Log);
        var results = run.Results.Where(r => r.Command.Schema == schema).ToList();
        Assert.NotEmpty(results);
        foreach (var (command, result) in results)
        {
            Assert.True(command.ExitCodes.Contains(result.ExitCode), $"{command.Describe()}: exit {result.ExitCode}{Environment.NewLine}{result.Describe()}");
            var problems = MachineOutputSchemas.Problems(schema, result.StdOut);
            Assert.True(problems is null, $"{command.Describe()}: {problems}");
            using var document = JsonDocument.Parse(result.StdOut);
            Assert.Equal("schemaVersion", document.RootElement.EnumerateObject().First().Name);
        }
    }

    [Fact]
    public void Status_uses_dotnet_ef_migrations_list_field_names()
    {
        var (_, result) = run.Results.First(r => r.Command.Schema == "status");
        var migrations = ToolSession.Json(result).GetProperty("migrations").EnumerateArray().ToList();

        Assert.Equal(run.MainIds, migrations.Select(m => m.GetProperty("id").GetString()));
        Assert.All(migrations, m =>
        {
            var id = m.GetProperty("id").GetString()!;
            Assert.Equal(id[15..], m.GetProperty("name").GetString());
            Assert.Equal(id[15..], m.GetProperty("safeName").GetString());
            Assert.False(m.GetProperty("applied").GetBoolean());
            Assert.Equal("pending", m.GetProperty("status").GetString());
        });
    }

    /// <summary>Every command (and subcommand) whose help lists <c>--json</c> has a schema, and the run or a named scenario writes it.</summary>
    [Fact]
    public void Every_command_with_json_has_a_schema_and_a_test()
    {
        var withJson = new List<string>();
        var pending = new Queue<string[]>([[]]);
        while (pending.Count > 0)
        {
            var path = pending.Dequeue();
            var help = RunningProcess.Run(ToolInstallation.Executable, [.. path, "--help"], Path.GetTempPath(), TimeSpan.FromMinutes(1));
            Assert.True(help.ExitCode == 0, help.Describe());
            var (options, commands) = HelpSections(help.StdOut);
            if (options.Any(o => o.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Split('|').Contains("--json")))
            {
                withJson.Add(string.Join('-', path));
            }

            foreach (var command in commands)
            {
                pending.Enqueue([.. path, command]);
            }
        }

        Assert.Contains("status", withJson);
        Assert.Contains("backup-list", withJson);
        var missing = withJson.Where(c => !File.Exists(MachineOutputSchemas.PathOf(c))).ToList();
        Assert.True(missing.Count == 0, $"Commands with --json but no docs/json/<command>.schema.json: {string.Join(", ", missing)}");
        var covered = MachineOutputRun.Commands.Select(c => c.Schema).Concat(MachineOutputRun.CoveredElsewhere).ToHashSet(StringComparer.Ordinal);
        var untested = withJson.Where(c => !covered.Contains(c)).ToList();
        Assert.True(untested.Count == 0, $"Commands with --json whose document no test validates: {string.Join(", ", untested)}");
        // A schema is a command's (status), or the shape one of its options gives (status-graph: status --graph --json).
        var orphans = MachineOutputSchemas.Names.Where(n => !withJson.Any(c => n == c || n.StartsWith(c + "-", StringComparison.Ordinal))).ToList();
        Assert.True(orphans.Count == 0, $"Schemas of no command with --json: {string.Join(", ", orphans)}");
    }

    /// <summary>The option lines and the command names of a McMaster help text.</summary>
    private static (List<string> Options, List<string> Commands) HelpSections(string help)
    {
        var options = new List<string>();
        var commands = new List<string>();
        List<string>? current = null;
        foreach (var line in help.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length == 0)
            {
                current = null;
            }
            else if (line == "Options:")
            {
                current = options;
            }
            else if (line == "Commands:")
            {
                current = commands;
            }
            else if (current is not null && line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
            {
                var item = line.Trim();
                current.Add(current == commands ? item.Split(' ')[0] : item);
            }
        }

        return (options, commands);
    }
}

/// <summary>One tool run of <see cref="MachineOutputRun"/>.</summary>
/// <param name="Schema">The schema its document must match.</param>
/// <param name="Arguments">The arguments (the repository's project and <c>--json</c> are added).</param>
/// <param name="ExitCodes">The exit codes it may end with.</param>
/// <param name="WithProject">False for a command without <c>-p</c> (<c>hook uninstall</c>).</param>
public sealed record JsonCommand(string Schema, string[] Arguments, int[] ExitCodes, bool WithProject = true)
{
    public string Describe() => "dotnet safe-migrate " + string.Join(' ', Arguments) + " --json";
}

/// <summary>
/// Runs every command with <c>--json</c> once, in a team's order, on a clone of <see cref="TwoBranchRepo"/> (on
/// <c>main</c>) and one real database: integrity and hook, status/plan/lint/script, apply part-way, rehearse the rest,
/// apply, history and verify, the backup commands, both rollbacks, repair, add and remove, and after a git merge of the
/// two branches, merge. A run that fails is recorded, not thrown: its test says so.
/// </summary>
public sealed class MachineOutputRun : IDisposable
{
    /// <summary>
    /// Schemas whose documents other scenarios validate (SquashLifecycleTests; MergeTests and RebaseTests for merge's other
    /// forms; FleetApplyTests for apply --fleet; ConfigurationTests for config show).
    /// </summary>
    public static readonly string[] CoveredElsewhere = ["squash", "apply-fleet", "config-show"];

    private readonly StringBuilder _log = new();
    private readonly GitSandbox _repo;
    private readonly E2eDatabase _database;
    private readonly E2eDatabase _copy;
    private readonly string _backupDir;

    public MachineOutputRun()
    {
        var branches = new TwoBranchRepo();
        MainIds = branches.MainIds;
        _repo = branches.Repo.Clone(line => _log.AppendLine(line));
        _database = E2eDatabase.Create();
        _copy = E2eDatabase.Adopt();
        _backupDir = Path.Combine(_repo.Scratch, "backups");
        try
        {
            RunAll();
        }
        catch (Exception e)
        {
            _log.AppendLine($"The run stopped: {e}");
        }
    }

    /// <summary>The commands, in the order they run (placeholders in <see cref="Fill"/>).</summary>
    public static IReadOnlyList<JsonCommand> Commands { get; } =
    [
        new("hash", ["hash"], [0]),
        new("check", ["check"], [0]),
        new("hook-install", ["hook", "install"], [0]),
        new("hook-uninstall", ["hook", "uninstall"], [0], WithProject: false),
        new("status", ["status"], [0]),
        new("plan", ["plan", "--no-build"], [0]),
        new("lint", ["lint", "--no-build"], [0, 1]),
        new("script", ["script", "--no-build"], [0]),
        new("apply", ["apply", "{second-newest}", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("rehearse", ["rehearse", "--no-build"], [0]),
        new("apply", ["apply", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("history", ["history", "--no-build"], [0]),
        new("verify", ["verify", "--no-build"], [0]),
        new("backup-create", ["backup", "create", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("backup-list", ["backup", "list", "--backup-dir", "{backups}"], [0]),
        new("backup-verify", ["backup", "verify", "{archive}"], [0]),
        new("backup-restore", ["backup", "restore", "{archive}", "--into", "{copy}", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("backup-restore", ["backup", "restore", "{archive}", "--yes", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("rollback", ["rollback", "--backup", "{archive}", "--yes", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("backup-cleanup", ["backup", "cleanup", "--yes", "--no-build"], [0]),
        new("rollback", ["rollback", "--to", "{third-newest}", "--yes", "--no-build", "--backup-dir", "{backups}"], [0]),
        new("repair", ["repair", "--remove-unknown", "--reason", "JSON contract test", "--no-build"], [0]),
        new("backup-prune", ["backup", "prune", "--keep", "1", "--backup-dir", "{backups}"], [0]),
        new("add", ["add", "NothingChanged"], [0]),
        new("remove", ["remove"], [0]),
        new("merge", ["merge"], [0]),
    ];

    /// <summary>The sample's migration ids on main, oldest first.</summary>
    public IReadOnlyList<string> MainIds { get; }

    /// <summary>Each command that ran, with its result.</summary>
    public List<(JsonCommand Command, ProcessResult Result)> Results { get; } = [];

    /// <summary>What the run did (git and tool runs).</summary>
    public string Log => _log.ToString();

    private string? Archive { get; set; }

    private void RunAll()
    {
        var options = new SandboxRun { EnvironmentConnection = _database.ConnectionString, Timeout = TimeSpan.FromMinutes(6) };
        foreach (var command in Commands)
        {
            if (command.Schema == "repair")
            {
                // A history row of a migration the code does not have (applied from another branch): what repair removes.
                Pg.Execute(_database.ConnectionString, $"INSERT INTO \"{Pg.HistoryTable}\" VALUES ('20990101000000_FromAnotherBranch', '10.0.0')");
            }

            if (command.Schema == "merge")
            {
                MergeBranchesInGit();
            }

            var result = _repo.Tool(options with { WithProject = command.WithProject }, [.. command.Arguments.Select(Fill), "--json"]);
            Results.Add((command, result));
            if (command.Schema == "backup-create" && result.ExitCode == 0)
            {
                using var document = JsonDocument.Parse(result.StdOut);
                Archive = document.RootElement.GetProperty("path").GetString();
            }
        }
    }

    /// <summary>The git merge of the two branches, resolved as MergeTests resolves it (the sum file by <c>hash</c>; merge regenerates the snapshot).</summary>
    private void MergeBranchesInGit()
    {
        _repo.GitOk("checkout", "-q", "--", ".");
        _repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        _repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB);
        if (_repo.ConflictedFiles().Contains(GitSandbox.Snapshot))
        {
            _repo.GitOk("checkout", "--ours", "--", GitSandbox.Snapshot);
        }

        _repo.ToolOk("hash");
        _repo.CommitAll("Merge feature-b into feature-a");
    }

    private string Fill(string argument) => argument switch
    {
        "{second-newest}" => MainIds[^2],
        "{third-newest}" => MainIds[^3],
        "{backups}" => _backupDir,
        "{copy}" => _copy.Name,
        "{archive}" => Archive ?? "no-archive-was-created.dump",
        _ => argument,
    };

    public void Dispose()
    {
        _copy.Dispose();
        _database.Dispose();
        _repo.Dispose();
    }
}
