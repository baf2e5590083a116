using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EfSafeMigrate.Tool.Git;
using EfSafeMigrate.Tool.Hooks;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Configuration;

/// <summary>What <c>init</c> was asked for.</summary>
/// <param name="Project">The <c>--project</c> value, or null to detect the migrations project(s).</param>
/// <param name="StartupProject">The <c>--startup-project</c> value, or null.</param>
/// <param name="Context">The <c>--context</c> value, or null to take it from the model snapshot.</param>
/// <param name="BackupDir">The <c>--backup-dir</c> value (relative to the current folder), or null for <c>backups</c> beside the project.</param>
/// <param name="Force">Overwrite an existing <c>safe-migrate.json</c>.</param>
internal sealed record SetupRequest(string? Project, string? StartupProject, string? Context, string? BackupDir, bool Force);

/// <summary>
/// <c>init</c>: sets a git repository up in one step: writes <c>safe-migrate.json</c> at the work tree's root (with
/// <c>$schema</c>, the detected project and DbContext, and the defaults), hashes the migrations (<see cref="SumFiles"/>,
/// as <c>hash</c>), installs the pre-commit hook (<see cref="HookOperations"/>, as <c>hook install</c>), and adds the
/// backup folder to the top-level <c>.gitignore</c> (<see cref="GitIgnore"/>; idempotent). Refuses (exit 1) to
/// overwrite an existing configuration without <c>--force</c>; outside a git work tree exit 2. The file written is
/// read back with <see cref="ConfigFile.Load"/> before anything else is done.
/// </summary>
internal static class RepositorySetup
{
    private static readonly Regex SnapshotContext = new(@"\[DbContext\(typeof\((?<type>[\w.]+)\)\)\]", RegexOptions.CultureInvariant);

    /// <summary>Runs the setup from the current folder; returns the exit code.</summary>
    /// <exception cref="CommandException">Outside a git work tree, no project found (2); a configuration exists and no --force (1).</exception>
    public static int Run(Reporter reporter, SetupRequest request)
    {
        var current = Directory.GetCurrentDirectory();
        var repository = GitRepository.Find(current)
            ?? throw new CommandException(ExitCodes.UsageError, $"{current} is not in a git work tree: 'init' writes the configuration at the work tree's root and installs a git hook. Run 'git init' first.");
        var root = repository.TopLevel;
        var path = Path.Combine(root, ConfigFile.FileName);
        if (File.Exists(path) && !request.Force)
        {
            throw new CommandException(ExitCodes.ProblemsFound, $"{path} exists already; nothing was changed. 'dotnet safe-migrate config show' prints what it sets; 'dotnet safe-migrate init --force' overwrites it.");
        }

        var projects = Detect(root, request);
        var backupFolder = request.BackupDir is not null
            ? Path.GetFullPath(request.BackupDir)
            : Path.Combine(projects.Count > 0 ? Folder(projects[0].Project) : root, Commands.BackupOptions.DefaultFolderName);
        File.WriteAllText(path, Document(root, projects, backupFolder, DefaultBranch(repository)).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        _ = ConfigFile.Load(path); // never leave a file the tool cannot read back
        reporter.Success($"Wrote {path}{(projects.Count == 0 ? " (no migrations project found: set \"project\" in it)" : $" (project: {string.Join(", ", projects.Select(p => repository.Relative(p.Project)))})")}.");

        var written = new SumFiles(MigrationFiles.For(root), reporter).WriteAll();
        if (written.Count == 0)
        {
            reporter.Info($"No migrations found under {root}: no safe-migrate.sum written yet ('dotnet safe-migrate add <Name>' records new migrations).");
        }

        HookOperations.Install(reporter, PreCommitHookScript.DefaultCommand, null);
        if (GitIgnore.NotIgnoredIn(backupFolder) is { } tree)
        {
            GitIgnore.Add(tree, backupFolder);
            reporter.Success($"Added /{tree.Relative(backupFolder)}/ to {Path.Combine(tree.TopLevel, ".gitignore")} (backups are database dumps: never commit them).");
        }
        else
        {
            reporter.Info($"The backup folder {backupFolder} is already ignored by git (or outside the work tree).");
        }

        reporter.Info("Next: commit safe-migrate.json, .gitignore and safe-migrate.sum; 'dotnet safe-migrate config show' prints the effective settings.");
        return ExitCodes.Success;
    }

    /// <summary>The migrations projects: the one given, else every project folder that holds a model snapshot.</summary>
    private static List<ConfiguredProject> Detect(string root, SetupRequest request)
    {
        if (request.Project is not null)
        {
            var file = Projects.ProjectLocator.Locate(request.Project);
            return [new ConfiguredProject(file, request.StartupProject is null ? null : Projects.ProjectLocator.Locate(request.StartupProject), request.Context ?? ContextOf(Folder(file)))];
        }

        var found = new List<ConfiguredProject>();
        foreach (var snapshot in Directory.EnumerateFiles(root, "*ModelSnapshot.cs", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules"))
                     .Order(StringComparer.Ordinal))
        {
            var project = ProjectFileAbove(Path.GetDirectoryName(snapshot)!, root);
            if (project is null || found.Any(p => p.Project == project))
            {
                continue;
            }

            found.Add(new ConfiguredProject(project, request.StartupProject is null ? null : Projects.ProjectLocator.Locate(request.StartupProject),
                request.Context ?? ContextOf(Path.GetDirectoryName(snapshot)!)));
        }

        return found;
    }

    private static string? ProjectFileAbove(string folder, string root)
    {
        for (var current = new DirectoryInfo(folder); current is not null && current.FullName.Length >= root.Length; current = current.Parent)
        {
            var projects = current.GetFiles("*.csproj");
            if (projects.Length == 1)
            {
                return projects[0].FullName;
            }
        }

        return null;
    }

    /// <summary>The DbContext of the snapshot in or under <paramref name="folder"/> (from its <c>[DbContext(typeof(X))]</c>), when there is exactly one.</summary>
    private static string? ContextOf(string folder)
    {
        var contexts = Directory.EnumerateFiles(folder, "*ModelSnapshot.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(f => SnapshotContext.Match(File.ReadAllText(f)))
            .Where(m => m.Success)
            .Select(m => m.Groups["type"].Value.Split('.')[^1])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return contexts.Count == 1 ? contexts[0] : null;
    }

    private static string Folder(string projectFile) => Path.GetDirectoryName(projectFile)!;

    /// <summary>The remote's default branch (<c>origin/main</c>) when git knows it; null otherwise.</summary>
    private static string? DefaultBranch(GitRepository repository)
    {
        var (code, output, _) = repository.RunText("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD");
        return code == 0 && output.Trim().Length > 0 ? output.Trim() : null;
    }

    private static JsonObject Document(string root, IReadOnlyList<ConfiguredProject> projects, string backupFolder, string? baseBranch)
    {
        string Relative(string full) => Path.GetRelativePath(root, full).Replace('\\', '/');
        var document = new JsonObject { ["$schema"] = ConfigFile.SchemaUrl };
        if (projects.Count == 1)
        {
            document["project"] = Relative(projects[0].Project);
            if (projects[0].StartupProject is { } startup)
            {
                document["startupProject"] = Relative(startup);
            }

            if (projects[0].Context is { } context)
            {
                document["context"] = context;
            }
        }
        else if (projects.Count > 1)
        {
            var list = new JsonArray();
            foreach (var project in projects)
            {
                var entry = new JsonObject { ["project"] = Relative(project.Project) };
                if (project.StartupProject is { } startup)
                {
                    entry["startupProject"] = Relative(startup);
                }

                if (project.Context is { } context)
                {
                    entry["context"] = context;
                }

                list.Add(entry);
            }

            document["projects"] = list;
        }

        document["backup"] = new JsonObject
        {
            ["dir"] = Relative(backupFolder),
            ["strategy"] = SettingDefinition.BackupStrategy.Default,
        };
        if (baseBranch is not null)
        {
            document["check"] = new JsonObject { ["against"] = baseBranch };
        }

        document["timeouts"] = new JsonObject
        {
            ["lockTimeout"] = long.Parse(SettingDefinition.LockTimeout.Default!, System.Globalization.CultureInfo.InvariantCulture),
            ["commandTimeout"] = long.Parse(SettingDefinition.CommandTimeout.Default!, System.Globalization.CultureInfo.InvariantCulture),
            ["ddlLockTimeout"] = long.Parse(SettingDefinition.DdlLockTimeout.Default!, System.Globalization.CultureInfo.InvariantCulture),
            ["ddlLockRetries"] = long.Parse(SettingDefinition.DdlLockRetries.Default!, System.Globalization.CultureInfo.InvariantCulture),
        };
        return document;
    }
}
