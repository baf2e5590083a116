using System.Text;
using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>How one tool invocation in a <see cref="GitSandbox"/> differs from the defaults.</summary>
public sealed record SandboxRun
{
    public static readonly SandboxRun Default = new();

    /// <summary>Add <c>-p &lt;copy&gt;/Shop.csproj</c> (true for every command but <c>hook</c>).</summary>
    public bool WithProject { get; init; } = true;

    /// <summary>The value of ConnectionStrings__Shop (the sample's design-time factory); null: a server that does not exist.</summary>
    public string? EnvironmentConnection { get; init; }

    /// <summary>Builds (scaffolding, the model tier, applying) take a while on two cores.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>More variables for the tool's process (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// A temporary git repository holding a copy of samples/Shop (with its migrations and safe-migrate.sum;
/// without bin, obj and backups), committed on <c>main</c>, in which git and the packed tool run as processes.
/// </summary>
/// <remarks>
/// The repository lies under <c>&lt;repo&gt;/.tmp/e2e/conflicts</c>, inside the EfSafeMigrate repository, so that its
/// Directory.Build.props/targets and Directory.Packages.props apply when the copied project builds (central package
/// versions, the EF Core Design recipe). MSBuild does not mind the nested repository (.tmp is git-ignored by the outer
/// one, and git stops at the inner <c>.git</c>). Git runs without the user's global and system configuration
/// (<c>GIT_CONFIG_GLOBAL=/dev/null</c>, <c>GIT_CONFIG_NOSYSTEM=1</c>), so a global <c>core.hooksPath</c> or merge
/// setting cannot change what the tests see; the tool gets the same environment, since it runs git too.
/// </remarks>
public sealed class GitSandbox : IDisposable
{
    public const string Branch = "main";

    /// <summary>A connection string to a server that does not exist: a tool run that needs no database must not reach one.</summary>
    public const string NoDatabase = "Host=127.0.0.1;Port=1;Database=no_database_needed;Username=nobody;Timeout=3";

    private static readonly string[] Excluded = ["bin", "obj", "backups"];

    private readonly Action<string> _log;

    private GitSandbox(string scratch, Action<string> log)
    {
        Scratch = scratch;
        Dir = Path.Combine(scratch, "repo");
        _log = log;
    }

    /// <summary>Where all sandboxes of this test process live.</summary>
    public static string Root => Path.Combine(RepoPaths.E2eTemp, "conflicts");

    /// <summary>A folder beside the repository, for files that must not be in it (logs, wrapper scripts); deleted with it.</summary>
    public string Scratch { get; }

    /// <summary>The top level of the working tree.</summary>
    public string Dir { get; }

    public string ProjectDir => Path.Combine(Dir, "Shop");

    public string ProjectPath => Path.Combine(ProjectDir, "Shop.csproj");

    /// <summary>Repository-relative path of the migrations folder.</summary>
    public const string Migrations = "Shop/Migrations";

    /// <summary>Repository-relative path of the integrity file.</summary>
    public const string SumFile = Migrations + "/safe-migrate.sum";

    /// <summary>Repository-relative path of the model snapshot.</summary>
    public const string Snapshot = Migrations + "/ShopContextModelSnapshot.cs";

    /// <summary>Migration ids of the working tree, oldest first.</summary>
    public IReadOnlyList<string> MigrationIds => FixtureProjects.ReadMigrationIds(ProjectDir);

    /// <summary>A new repository with samples/Shop committed on <c>main</c> (and a .gitignore for bin, obj and backups).</summary>
    public static GitSandbox CreateFromShop(Action<string> log)
    {
        var sandbox = new GitSandbox(NewScratch(), log);
        try
        {
            Directory.CreateDirectory(sandbox.Dir);
            CopyProject(Path.GetDirectoryName(RepoPaths.ShopProject)!, sandbox.ProjectDir);
            File.WriteAllText(Path.Combine(sandbox.Dir, ".gitignore"), "bin/\nobj/\nbackups/\n");
            sandbox.GitOk("init", "-q", "-b", Branch);
            sandbox.Configure();
            sandbox.GitOk("add", "-A");
            sandbox.GitOk("commit", "-q", "-m", "Shop sample");
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A clone of this repository (cheap: hard links) with a local branch for each of its branches, the same branch
    /// checked out, and the same user. Nothing built is copied: bin and obj are not in git.
    /// </summary>
    public GitSandbox Clone(Action<string> log)
    {
        var clone = new GitSandbox(NewScratch(), log);
        try
        {
            Directory.CreateDirectory(clone.Scratch);
            clone.GitOk("clone", "-q", Dir, clone.Dir);
            clone.Configure();
            var current = clone.GitOk("rev-parse", "--abbrev-ref", "HEAD").StdOut.Trim();
            foreach (var branch in Lines(clone.GitOk("for-each-ref", "--format=%(refname:short)", "refs/remotes/origin").StdOut))
            {
                if (!branch.StartsWith("origin/", StringComparison.Ordinal))
                {
                    continue; // "origin" is origin/HEAD
                }

                var name = branch["origin/".Length..];
                if (name != "HEAD" && name != current)
                {
                    clone.GitOk("branch", "-q", "--track", name, branch);
                }
            }

            return clone;
        }
        catch
        {
            clone.Dispose();
            throw;
        }
    }

    private void Configure()
    {
        GitOk("config", "user.name", "Conflict Tests");
        GitOk("config", "user.email", "conflict-tests@example.invalid");
        GitOk("config", "commit.gpgsign", "false");
        GitOk("config", "core.autocrlf", "false");
    }

    // ---- git ----

    /// <summary>Runs git in the repository (isolated from the user's configuration) and logs the result.</summary>
    public ProcessResult Git(params string[] arguments)
    {
        var result = RunningProcess.Run("git", arguments, Directory.Exists(Dir) ? Dir : Scratch, TimeSpan.FromMinutes(5), GitEnvironment());
        _log(result.Describe(8_000) + Environment.NewLine);
        return result;
    }

    /// <summary>Runs git and fails the test unless it exits 0.</summary>
    public ProcessResult GitOk(params string[] arguments)
    {
        var result = Git(arguments);
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"git {string.Join(' ', arguments)} failed:{Environment.NewLine}{result.Describe()}");
        }

        return result;
    }

    /// <summary>Stages everything and commits (hooks run, if any are installed; use <see cref="Git"/> to see a refusal).</summary>
    public void CommitAll(string message)
    {
        GitOk("add", "-A");
        GitOk("commit", "-q", "-m", message);
    }

    /// <summary>The files git lists as unmerged (conflicted), repository-relative.</summary>
    public List<string> ConflictedFiles() => Lines(GitOk("diff", "--name-only", "--diff-filter=U").StdOut);

    public string Head() => GitOk("rev-parse", "HEAD").StdOut.Trim();

    private static Dictionary<string, string?> GitEnvironment() => new()
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_EDITOR"] = "true",
        ["GIT_MERGE_AUTOEDIT"] = "no",
        ["LC_ALL"] = "C",
        ["LANGUAGE"] = null,
        ["GIT_DIR"] = null,
        ["GIT_WORK_TREE"] = null,
        ["GIT_INDEX_FILE"] = null,
    };

    // ---- the tool ----

    /// <summary>The packed tool's executable (absolute path).</summary>
    public static string ToolExecutable => ToolInstallation.Executable;

    public ProcessResult Tool(params string[] arguments) => Tool(SandboxRun.Default, arguments);

    /// <summary>
    /// Runs the tool in the repository's top level, with <c>-p &lt;copy&gt;/Shop.csproj --no-color</c> (no
    /// <c>--no-build</c>: the copy is built when a command needs it, unless the test passes <c>--no-build</c>): inside the
    /// test process (<see cref="InProcessTool"/>) unless the run has a timeout shorter than the default, then as a process
    /// of the packed tool.
    /// </summary>
    public ProcessResult Tool(SandboxRun options, params string[] arguments)
    {
        var all = new List<string>(arguments);
        if (options.WithProject)
        {
            all.Add("-p");
            all.Add(ProjectPath);
        }

        all.Add("--no-color");
        var environment = GitEnvironment();
        environment["ConnectionStrings__Shop"] = options.EnvironmentConnection ?? NoDatabase;
        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        ProcessResult result;
        if (InProcessTool.Enabled && options.Timeout >= SandboxRun.Default.Timeout)
        {
            result = InProcessTool.Run(all, Dir, environment);
        }
        else
        {
            using var process = RunningProcess.Start(ToolExecutable, all, Dir, environment);
            result = process.WaitForExit(options.Timeout);
        }

        _log(result.Describe(8_000) + Environment.NewLine);
        return result;
    }

    /// <summary>Runs the tool and fails the test unless it exits 0.</summary>
    public ProcessResult ToolOk(params string[] arguments) => ToolOk(SandboxRun.Default, arguments);

    public ProcessResult ToolOk(SandboxRun options, params string[] arguments)
    {
        var result = Tool(options, arguments);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    /// <summary>Runs <c>check --json &lt;arguments&gt;</c> and parses its findings.</summary>
    public CheckReport Check(params string[] arguments) => Check(SandboxRun.Default, arguments);

    public CheckReport Check(SandboxRun options, params string[] arguments) =>
        CheckReport.From(Tool(options, ["check", "--json", .. arguments]));

    // ---- files ----

    public string FullPath(string relative) => Path.Combine(Dir, relative.Replace('/', Path.DirectorySeparatorChar));

    public string Read(string relative) => File.ReadAllText(FullPath(relative));

    public void Write(string relative, string text)
    {
        var path = FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Replaces the one occurrence of <paramref name="old"/> in a file (fails when it occurs zero or several times).</summary>
    public void Edit(string relative, string old, string replacement)
    {
        var text = Read(relative);
        var first = text.IndexOf(old, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(old, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"Expected exactly one occurrence of «{old}» in {relative}.");
        }

        File.WriteAllText(FullPath(relative), text[..first] + replacement + text[(first + old.Length)..]);
    }

    /// <summary>Adds a property after an existing line of a model class (a one-line text edit of Shop/Model/&lt;Entity&gt;.cs).</summary>
    public void AddProperty(string entity, string afterLine, string property) =>
        Edit($"Shop/Model/{entity}.cs", afterLine, afterLine + "\n\n    " + property);

    /// <summary>The ids present now but not in <paramref name="before"/>.</summary>
    public List<string> NewIds(IEnumerable<string> before) => MigrationIds.Except(before, StringComparer.Ordinal).ToList();

    /// <summary>
    /// A branch from <c>main</c> with <paramref name="edit"/> made to the model and the migration <c>add</c> makes for it,
    /// committed as <paramref name="message"/>: for the repositories fixtures prepare once.
    /// </summary>
    /// <returns>The new migration's id.</returns>
    /// <exception cref="InvalidOperationException"><c>add</c> failed, or did not make exactly one migration named <paramref name="name"/>.</exception>
    public string AddMigrationOnBranch(string branch, string name, Action edit, string message)
    {
        GitOk("checkout", "-q", "-b", branch, Branch);
        var before = MigrationIds;
        edit();
        var add = Tool("add", name);
        var added = NewIds(before);
        if (add.ExitCode != 0 || added.Count != 1 || !added[0].EndsWith("_" + name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"add {name} made [{string.Join(", ", added)}] instead of one migration named {name}:{Environment.NewLine}{add.Describe()}");
        }

        CommitAll(message);
        return added[0];
    }

    public static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Scratch))
            {
                Directory.Delete(Scratch, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Deletes the sandboxes of runs that started more than six hours ago (and so are over): the shared two-branch
    /// repository lives until its test process exits, and a test host that is stopped rather than exited (vstest may
    /// end it after the results are in) never gets to delete it.
    /// </summary>
    public static void DeleteStale()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        var cutoff = DateTime.UtcNow - TimeSpan.FromHours(6);
        foreach (var folder in Directory.EnumerateDirectories(Root).Where(f => Directory.GetLastWriteTimeUtc(f) < cutoff))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string NewScratch() => Path.Combine(Root, $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}");

    private static void CopyProject(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(source).Where(d => !Excluded.Contains(Path.GetFileName(d))))
        {
            CopyProject(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }
}

/// <summary>One finding of <c>check --json</c>.</summary>
public sealed record CheckFinding(string Code, string Severity, string Message, IReadOnlyList<string> Migrations, string? File, string? Fix)
{
    public override string ToString() => $"{Severity} {Code} [{string.Join(", ", Migrations)}] {Message} (fix: {Fix})";
}

/// <summary>The parsed result of <c>check --json</c>: exit code, findings and totals.</summary>
public sealed class CheckReport
{
    private CheckReport(ProcessResult result, IReadOnlyList<CheckFinding> findings, int errors, int warnings)
    {
        Result = result;
        Findings = findings;
        Errors = errors;
        Warnings = warnings;
    }

    public ProcessResult Result { get; }

    public int ExitCode => Result.ExitCode;

    public IReadOnlyList<CheckFinding> Findings { get; }

    public int Errors { get; }

    public int Warnings { get; }

    public IEnumerable<CheckFinding> ErrorFindings => Findings.Where(f => f.Severity == "error");

    public IEnumerable<CheckFinding> WithCode(string code) => Findings.Where(f => f.Code == code);

    /// <summary>The one finding with this code; fails with the whole report when there is none or several.</summary>
    public CheckFinding Single(string code)
    {
        var matches = WithCode(code).ToList();
        if (matches.Count != 1)
        {
            throw new Xunit.Sdk.XunitException($"Expected one {code} finding, found {matches.Count}:{Environment.NewLine}{this}");
        }

        return matches[0];
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"exit {ExitCode}; {Errors} error(s), {Warnings} warning(s):");
        foreach (var finding in Findings)
        {
            text.AppendLine("  " + finding);
        }

        text.Append(Result.Describe(6_000));
        return text.ToString();
    }

    public static CheckReport From(ProcessResult result)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(result.StdOut);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"check --json did not write one JSON document to stdout ({e.Message}):{Environment.NewLine}{result.Describe()}");
        }

        // Every check these tests run also checks the document against its published shape (docs/json/check.schema.json).
        if (MachineOutputSchemas.Problems("check", result.StdOut) is { } problems)
        {
            throw new Xunit.Sdk.XunitException(problems);
        }

        var findings = root.GetProperty("findings").EnumerateArray().Select(f => new CheckFinding(
            f.GetProperty("code").GetString()!,
            f.GetProperty("severity").GetString()!,
            f.GetProperty("message").GetString()!,
            f.GetProperty("migrations").EnumerateArray().Select(m => m.GetString()!).ToList(),
            f.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String ? file.GetString() : null,
            f.TryGetProperty("fix", out var fix) && fix.ValueKind == JsonValueKind.String ? fix.GetString() : null)).ToList();
        return new CheckReport(result, findings, root.GetProperty("errors").GetInt32(), root.GetProperty("warnings").GetInt32());
    }
}
