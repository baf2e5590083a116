using System.Globalization;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Tool.Configuration;

/// <summary>How a setting's value is read and checked.</summary>
internal enum SettingKind
{
    /// <summary>Free text (a DbContext name, a git ref).</summary>
    Text,

    /// <summary>A file or folder; relative paths are relative to the file that names them (the current folder for an environment variable).</summary>
    Path,

    /// <summary>A whole number, 0 or more.</summary>
    WholeNumber,

    /// <summary>A number, 0 or more (fractions allowed).</summary>
    Number,

    /// <summary>One of <see cref="SettingDefinition.Choices"/>.</summary>
    Choice,

    /// <summary>A connection string: never read from the file, never printed unmasked.</summary>
    Secret,
}

/// <summary>
/// One scalar setting: its key in <c>safe-migrate.json</c>, its environment variable, the command-line option it
/// supplies a default for (and on which commands), its default and its meaning. <see cref="All"/> is the one table
/// the file reader, the layering, <c>config show</c>, the README and <c>docs/safe-migrate.schema.json</c> follow.
/// </summary>
/// <param name="Key">Dotted key in the file (<c>backup.dir</c>); for <see cref="SettingKind.Secret"/> a name only (not allowed in the file).</param>
/// <param name="EnvironmentVariable">The environment variable that overrides the file.</param>
/// <param name="Option">The long option (without <c>--</c>) that overrides both, or null when no option sets it.</param>
/// <param name="Kind">How the value is read and checked.</param>
/// <param name="Default">The built-in default as text, or null (none: the command's own behaviour).</param>
/// <param name="Description">What it sets, for <c>config show</c> and the schema.</param>
internal sealed record SettingDefinition(string Key, string EnvironmentVariable, string? Option, SettingKind Kind, string? Default, string Description)
{
    /// <summary>The commands (full paths such as <c>backup prune</c>) whose option the setting defaults; null: every command that has <see cref="Option"/>.</summary>
    public IReadOnlyList<string>? Commands { get; init; }

    /// <summary>For <see cref="SettingKind.Choice"/>: the allowed values.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Whether the setting defaults the option of <paramref name="commandPath"/> (<c>backup prune</c>).</summary>
    public bool AppliesTo(string commandPath) => Option is not null && (Commands is null || Commands.Contains(commandPath, StringComparer.Ordinal));

    /// <summary>The key <c>project</c>.</summary>
    public static readonly SettingDefinition Project = new("project", "SAFE_MIGRATE_PROJECT", "project", SettingKind.Path, null,
        "The project holding the migrations (file or folder): what -p|--project defaults to. Default: the current folder.");

    /// <summary>The key <c>startupProject</c>.</summary>
    public static readonly SettingDefinition StartupProject = new("startupProject", "SAFE_MIGRATE_STARTUP_PROJECT", "startup-project", SettingKind.Path, null,
        "The startup project (file or folder): what -s|--startup-project defaults to. Default: the migrations project.");

    /// <summary>The key <c>context</c>.</summary>
    public static readonly SettingDefinition Context = new("context", "SAFE_MIGRATE_CONTEXT", "context", SettingKind.Text, null,
        "The DbContext (name or full name): what -c|--context defaults to. Default: the project's only DbContext.");

    /// <summary>The connection string (environment only).</summary>
    public static readonly SettingDefinition Connection = new("connection", "SAFE_MIGRATE_CONNECTION", "connection", SettingKind.Secret, null,
        "The connection string: what --connection defaults to. Environment only (never in the file). Default: the application's own configuration.");

    /// <summary>The key <c>backup.dir</c>.</summary>
    public static readonly SettingDefinition BackupDir = new("backup.dir", "SAFE_MIGRATE_BACKUP_DIR", "backup-dir", SettingKind.Path, null,
        "Folder for backups (relative to the file). Default: 'backups' beside the project.");

    /// <summary>The key <c>backup.strategy</c>.</summary>
    public static readonly SettingDefinition BackupStrategy = new("backup.strategy", "SAFE_MIGRATE_BACKUP_STRATEGY", null, SettingKind.Choice, "pgdump",
        "How backups are taken: 'pgdump' (a verified pg_dump custom-format archive).")
    {
        Choices = ["pgdump"],
    };

    /// <summary>The key <c>backup.keep</c>.</summary>
    public static readonly SettingDefinition BackupKeep = new("backup.keep", "SAFE_MIGRATE_BACKUP_KEEP", "keep", SettingKind.WholeNumber, null,
        "Retention: after each successful apply, keep only the newest N backups of the database (and what 'backup prune --keep' defaults to). Default: keep all.")
    {
        Commands = ["backup prune"],
    };

    /// <summary>The key <c>backup.olderThanDays</c>.</summary>
    public static readonly SettingDefinition BackupOlderThanDays = new("backup.olderThanDays", "SAFE_MIGRATE_BACKUP_OLDER_THAN_DAYS", "older-than", SettingKind.Number, null,
        "Retention: only backups older than this many days are deleted (with backup.keep: beyond the newest N; alone: every older one). Default: any age.")
    {
        Commands = ["backup prune"],
    };

    /// <summary>The key <c>check.against</c>.</summary>
    public static readonly SettingDefinition CheckAgainst = new("check.against", "SAFE_MIGRATE_CHECK_AGAINST", "against", SettingKind.Text, null,
        "The base branch 'check' compares with when --against is not given (e.g. origin/main); not used by 'check --staged', but 'hook install' writes it into the pre-commit hook's 'check --staged --against'. Default: none.")
    {
        Commands = ["check", "hook install"],
    };

    /// <summary>The key <c>timeouts.lockTimeout</c>.</summary>
    public static readonly SettingDefinition LockTimeout = new("timeouts.lockTimeout", "SAFE_MIGRATE_LOCK_TIMEOUT", "lock-timeout", SettingKind.WholeNumber,
        MigrationRun.DefaultLockTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        "Seconds to wait for the migration lock (another run) and for pg_dump's table locks: --lock-timeout.");

    /// <summary>The key <c>timeouts.commandTimeout</c>.</summary>
    public static readonly SettingDefinition CommandTimeout = new("timeouts.commandTimeout", "SAFE_MIGRATE_COMMAND_TIMEOUT", "command-timeout", SettingKind.WholeNumber, "0",
        "Seconds a migration statement may run (0: no limit): --command-timeout.");

    /// <summary>The key <c>timeouts.ddlLockTimeout</c>.</summary>
    public static readonly SettingDefinition DdlLockTimeout = new("timeouts.ddlLockTimeout", "SAFE_MIGRATE_DDL_LOCK_TIMEOUT", "ddl-lock-timeout", SettingKind.WholeNumber,
        PlanRunOptions.DefaultDdlLockTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
        "PostgreSQL lock_timeout, in seconds, for each migration's statements (0: none): --ddl-lock-timeout.");

    /// <summary>The key <c>timeouts.ddlLockRetries</c>.</summary>
    public static readonly SettingDefinition DdlLockRetries = new("timeouts.ddlLockRetries", "SAFE_MIGRATE_DDL_LOCK_RETRIES", "ddl-lock-retries", SettingKind.WholeNumber,
        MigrationRun.DefaultDdlLockRetries.ToString(CultureInfo.InvariantCulture),
        "How many times a migration that hit the DDL lock timeout is tried again: --ddl-lock-retries.");

    /// <summary>The key <c>lint.smallTableRows</c>.</summary>
    public static readonly SettingDefinition SmallTableRows = new("lint.smallTableRows", "SAFE_MIGRATE_LINT_SMALL_TABLE_ROWS", "small-table-rows", SettingKind.WholeNumber,
        LintOptions.DefaultSmallTableRows.ToString(CultureInfo.InvariantCulture),
        "Lint: a table with fewer estimated rows (and under lint.smallTableMb) is small: --small-table-rows.");

    /// <summary>The key <c>lint.smallTableMb</c>.</summary>
    public static readonly SettingDefinition SmallTableMb = new("lint.smallTableMb", "SAFE_MIGRATE_LINT_SMALL_TABLE_MB", "small-table-mb", SettingKind.WholeNumber,
        (LintOptions.DefaultSmallTableBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture),
        "Lint: a table under this many MB (with indexes and TOAST, and under lint.smallTableRows) is small: --small-table-mb.");

    /// <summary>The key <c>fleet</c>.</summary>
    public static readonly SettingDefinition Fleet = new("fleet", "SAFE_MIGRATE_FLEET", null, SettingKind.Path, null,
        "The fleet file (the databases 'apply --fleet' runs on), relative to this file. Default: none.");

    /// <summary>Every scalar setting, in the order <c>config show</c> lists them.</summary>
    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        Project, StartupProject, Context, Connection, BackupDir, BackupStrategy, BackupKeep, BackupOlderThanDays, CheckAgainst,
        LockTimeout, CommandTimeout, DdlLockTimeout, DdlLockRetries, SmallTableRows, SmallTableMb, Fleet,
    ];

    /// <summary>The environment variable of the lint severities (<c>SM512=warning,SM501=error</c>).</summary>
    public const string SeveritiesVariable = "SAFE_MIGRATE_LINT_SEVERITIES";

    /// <summary>
    /// Checks and normalises a value: numbers in invariant culture, paths made absolute against <paramref name="baseFolder"/>.
    /// Returns null and the reason when the value is not valid.
    /// </summary>
    public (string? Value, string? Error) Normalise(string text, string baseFolder)
    {
        switch (Kind)
        {
            case SettingKind.Path:
                return string.IsNullOrWhiteSpace(text) ? (null, "an empty path") : (System.IO.Path.GetFullPath(System.IO.Path.Combine(baseFolder, text)), null);
            case SettingKind.WholeNumber:
                return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole)
                    ? (whole.ToString(CultureInfo.InvariantCulture), null)
                    : (null, $"'{text}' is not a whole number (0 or more)");
            case SettingKind.Number:
                return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) && number >= 0
                    ? (number.ToString(CultureInfo.InvariantCulture), null)
                    : (null, $"'{text}' is not a number (0 or more)");
            case SettingKind.Choice:
                return Choices.Contains(text, StringComparer.Ordinal)
                    ? (text, null)
                    : (null, $"'{text}' is not one of {string.Join(", ", Choices.Select(c => $"'{c}'"))}");
            default:
                return string.IsNullOrWhiteSpace(text) ? (null, "an empty value") : (text, null);
        }
    }
}
