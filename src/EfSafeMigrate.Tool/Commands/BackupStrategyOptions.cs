using System.Globalization;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Tool.Hosting;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>--backup-strategy</c>, <c>--backup-jobs</c>, <c>--pgbackrest-stanza</c> and <c>--pgbackrest-config</c> on the commands that take a backup before they change the database
/// (<c>apply</c>, <c>apply --fleet</c>, <c>rollback --to</c>, <c>backup create</c>). The strategy may also come from
/// <c>backup.strategy</c> in <c>safe-migrate.json</c> or <c>SAFE_MIGRATE_BACKUP_STRATEGY</c> (Configuration/).
/// </summary>
internal sealed class BackupStrategyOptions
{
    private readonly CommandOption _strategy;
    private readonly CommandOption _jobs;
    private readonly CommandOption _stanza;
    private readonly CommandOption _config;

    private BackupStrategyOptions(CommandLineApplication command)
    {
        _strategy = command.Option("--backup-strategy <STRATEGY>",
            $"How the backup is taken: {string.Join(", ", BackupStrategies.All)}. Default: backup.strategy of safe-migrate.json, SAFE_MIGRATE_BACKUP_STRATEGY, else {BackupStrategies.PgDump}.",
            CommandOptionType.SingleValue);
        _jobs = command.Option("--backup-jobs <N>",
            $"pg_dump's parallel jobs (--jobs) for --backup-strategy {BackupStrategies.PgDumpParallel}. Default: the number of processors ({DefaultJobs}).",
            CommandOptionType.SingleValue);
        _stanza = command.Option("--pgbackrest-stanza <STANZA>",
            $"The pgBackRest stanza for --backup-strategy {BackupStrategies.PgBackRest} (required with it). Default: backup.pgbackrestStanza of safe-migrate.json, SAFE_MIGRATE_BACKUP_PGBACKREST_STANZA.",
            CommandOptionType.SingleValue);
        _config = command.Option("--pgbackrest-config <FILE>",
            $"pgBackRest's configuration file for --backup-strategy {BackupStrategies.PgBackRest}. Default: backup.pgbackrestConfig, SAFE_MIGRATE_BACKUP_PGBACKREST_CONFIG, else pgBackRest's own default.",
            CommandOptionType.SingleValue);
    }

    /// <summary>Default of <c>--backup-jobs</c> and of <c>--jobs</c> on restores: the processors this process may use.</summary>
    public static int DefaultJobs => Math.Max(1, Environment.ProcessorCount);

    /// <summary>Adds the options to a command.</summary>
    public static BackupStrategyOptions Add(CommandLineApplication command) => new(command);

    /// <summary>The strategy given (or configured), else <c>pgdump</c>.</summary>
    /// <exception cref="CommandException">Not a known strategy (exit code 2).</exception>
    public string Strategy
    {
        get
        {
            if (!_strategy.HasValue())
            {
                return BackupStrategies.PgDump;
            }

            var value = _strategy.Value()!;
            return BackupStrategies.All.Contains(value, StringComparer.Ordinal)
                ? value
                : throw new CommandException(ExitCodes.UsageError, $"--backup-strategy takes one of {string.Join(", ", BackupStrategies.All)}, not '{value}'.");
        }
    }

    /// <summary><c>--backup-jobs</c>, default <see cref="DefaultJobs"/>.</summary>
    /// <exception cref="CommandException">Not a whole number of 1 or more (exit code 2).</exception>
    public int Jobs => ParseJobs(_jobs, "--backup-jobs");

    /// <summary>The provider of the chosen strategy for <paramref name="database"/>.</summary>
    /// <exception cref="CommandException">Bad option values (exit code 2).</exception>
    public EfSafeMigrate.Backups.IBackupProvider CreateProvider(DatabaseServices database, TimeSpan? lockWait)
    {
        Validate();
        var config = _config.HasValue() ? Path.GetFullPath(_config.Value()!) : null;
        if (config is not null && !File.Exists(config))
        {
            throw new CommandException(ExitCodes.UsageError, $"The pgBackRest configuration file '{config}' (--pgbackrest-config) does not exist.");
        }

        return database.CreateBackupProvider(Strategy, Jobs, lockWait, _stanza.Value(), config);
    }

    /// <summary>Checks the options without creating a provider (a bad value is a usage error before anything runs).</summary>
    /// <exception cref="CommandException">Bad option values (exit code 2).</exception>
    public void Validate()
    {
        _ = Jobs;
        if (Strategy == BackupStrategies.PgBackRest && string.IsNullOrWhiteSpace(_stanza.Value()))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"--backup-strategy {BackupStrategies.PgBackRest} needs the stanza: --pgbackrest-stanza NAME (or backup.pgbackrestStanza in safe-migrate.json, SAFE_MIGRATE_BACKUP_PGBACKREST_STANZA).");
        }
    }

    /// <summary>Reads a jobs option: a whole number, 1 or more; <see cref="DefaultJobs"/> when not given.</summary>
    /// <exception cref="CommandException">Not a whole number of 1 or more (exit code 2).</exception>
    public static int ParseJobs(CommandOption option, string name)
    {
        if (!option.HasValue())
        {
            return DefaultJobs;
        }

        return int.TryParse(option.Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var jobs) && jobs >= 1
            ? jobs
            : throw new CommandException(ExitCodes.UsageError, $"{name} takes a whole number of parallel jobs (1 or more), not '{option.Value()}'.");
    }
}
