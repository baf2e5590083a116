using System.Globalization;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>
/// The options of <c>apply --fleet</c>: which databases (<c>--fleet FILE</c> or <c>--connections-from FILE|-</c>, see
/// <see cref="FleetFile"/>), which part of them (<c>--shard I/N</c>, <see cref="FleetShard"/>), how many at a time
/// (<c>--parallel N</c>), the canaries (<c>--canary K</c>) and what a failure does (<c>--stop-on-failure</c>, the
/// default, or <c>--continue</c>); see <see cref="FleetScheduler"/>.
/// </summary>
internal sealed class FleetOptions
{
    private readonly CommandOption _fleet;
    private readonly CommandOption _connectionsFrom;
    private readonly CommandOption _parallel;
    private readonly CommandOption _canary;
    private readonly CommandOption _continue;
    private readonly CommandOption _stopOnFailure;
    private readonly CommandOption _shard;

    private FleetOptions(CommandLineApplication command)
    {
        _fleet = command.Option("--fleet <FILE>",
            "Migrate every database listed in FILE (one a line: a connection string or a database name on the server of --connection, then optional label=... group=...; or a JSON array). See README 'Fleet apply'.",
            CommandOptionType.SingleValue);
        _connectionsFrom = command.Option("--connections-from <FILE>",
            "As --fleet, for a list produced by a tenant catalogue; '-' reads it from standard input.", CommandOptionType.SingleValue);
        _parallel = command.Option("--parallel <N>",
            "With --fleet: how many databases are migrated at the same time. Default: the machine's cores (2 to 8), fewer when the server has few free connections (each database uses up to 3).",
            CommandOptionType.SingleValue);
        _canary = command.Option("--canary <K>",
            "With --fleet: migrate the first K databases of the list (of the shard) before the others; when any of them fails, stop (even with --continue). Default: 0.",
            CommandOptionType.SingleValue);
        _continue = command.Option("--continue", "With --fleet: when a database fails, go on with the others (the summary names each failure).", CommandOptionType.NoValue);
        _stopOnFailure = command.Option("--stop-on-failure",
            "With --fleet: when a database fails, start no further database; those running finish (the default).", CommandOptionType.NoValue);
        _shard = command.Option("--shard <I/N>",
            "With --fleet: migrate only shard I of N: the databases at positions I, I+N, I+2N, ... of the list (1-based), for a CI matrix or a Kubernetes indexed Job.",
            CommandOptionType.SingleValue);
    }

    /// <summary>Adds the options to <c>apply</c>.</summary>
    public static FleetOptions Add(CommandLineApplication command) => new(command);

    /// <summary>True when the run is a fleet run (<c>--fleet</c> or <c>--connections-from</c>).</summary>
    public bool IsFleet => _fleet.HasValue() || _connectionsFrom.HasValue();

    /// <summary>The list's path (<c>-</c>: standard input).</summary>
    public string ListPath => _fleet.Value() ?? _connectionsFrom.Value()!;

    /// <summary>True with <c>--continue</c>.</summary>
    public bool ContinueOnFailure => _continue.HasValue();

    /// <summary><c>--shard</c>, or the whole fleet.</summary>
    /// <exception cref="CommandException">Not I/N (exit code 2).</exception>
    public FleetShard Shard => _shard.HasValue() ? FleetShard.Parse(_shard.Value()!) : FleetShard.All;

    /// <summary><c>--parallel</c>, or null for the default.</summary>
    /// <exception cref="CommandException">Not a whole number of 1 or more (exit code 2).</exception>
    public int? Parallel => _parallel.HasValue() ? Count(_parallel, 1) : null;

    /// <summary><c>--canary</c> (default 0).</summary>
    /// <exception cref="CommandException">Not a whole number of 0 or more (exit code 2).</exception>
    public int Canary => _canary.HasValue() ? Count(_canary, 0) : 0;

    /// <summary>
    /// Checks the combination before anything starts: the fleet options need <c>--fleet</c> or
    /// <c>--connections-from</c> (not both), <c>--continue</c> excludes <c>--stop-on-failure</c>, and the values parse.
    /// </summary>
    /// <exception cref="CommandException">A wrong combination or value (exit code 2).</exception>
    public void Validate()
    {
        if (!IsFleet)
        {
            var stray = new[] { _parallel, _canary, _continue, _stopOnFailure, _shard }.FirstOrDefault(o => o.HasValue());
            if (stray is not null)
            {
                throw new CommandException(ExitCodes.UsageError, $"--{stray.LongName} applies to a fleet: add --fleet FILE (or --connections-from FILE|-) with the databases to migrate.");
            }

            return;
        }

        if (_fleet.HasValue() && _connectionsFrom.HasValue())
        {
            throw new CommandException(ExitCodes.UsageError, "--fleet and --connections-from both give the list of databases: use one of them.");
        }

        if (_continue.HasValue() && _stopOnFailure.HasValue())
        {
            throw new CommandException(ExitCodes.UsageError, "--continue and --stop-on-failure cannot be used together.");
        }

        _ = Shard;
        _ = Parallel;
        _ = Canary;
    }

    private static int Count(CommandOption option, int minimum)
        => int.TryParse(option.Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new CommandException(ExitCodes.UsageError, $"--{option.LongName} takes a whole number of {minimum} or more, not '{option.Value()}'.");
}
