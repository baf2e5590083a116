using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>squash FROM TO [--name NAME]</c> writes one migration that replaces the range FROM..TO, and
/// <c>squash --finalize [SQUASH]</c> deletes the migrations a squash replaces once no checked database is
/// inside its range (<see cref="SquashOperations"/>). Refusals exit 2 (the request) or 1 (the range).
/// </summary>
public static class SquashCommand
{
    private const string Rules = """

        The squashed migration's Up is EF Core's model differ from the model before FROM (the target
        model of the migration before it; an empty model when FROM is the first) to TO's target model,
        followed by the range's custom operations (Sql(...), hand-written InsertData/UpdateData/
        DeleteData, RestartSequence) in their original order. Its Down runs the custom Down operations
        first (newest migration first), then the differ's operations back. Its id is TO's timestamp
        and its name (default Squashed<FromName>To<ToName>, or <ToName>SquashedFrom<FromName> when that
        would sort before TO), so it sorts right after TO and before the migrations after it.

        The models' squash is not possible when a custom operation would see another schema than it was
        written for: an operation after it in the range creates, drops or renames a table, column or sequence
        it uses (SQL is read word by word), changes the type or nullability of such a column, or adds a
        required column to a table it inserts into; SQL creating an extension, type, domain or collation
        is followed by schema operations; a Down custom operation uses what an earlier Down operation
        creates or renames. Refused (nothing written): a migration without designer, a Down that throws,
        pending model changes, a range that holds or overlaps a squash, a project that does not
        reference the EfSafeMigrate library (the [Replaces] attribute needs it).

        Where the models' squash is not possible (a custom operation that cannot move after the schema operations, see
        above) or the designers disagree with what the migrations' code does (designers generated on other
        branches, schema operations the differ does not produce, a drop no migration does), the squash is
        built from the range's own operations in order instead (Up: every Up operation, oldest migration
        first; Down: every Down operation, newest migration first), so custom operations stay in place.

        Before anything is written the squash is proven: two scratch databases
        <database>_squashproof_<utc>_a and _b on the server of the DbContext's connection string (or
        --connection; that database itself is not changed) get the migrations before the range, then _a
        the original migrations and _b the squashed migration, and their catalogs (tables, columns with
        types, nullability and defaults, indexes, constraints, sequences, views, types, functions,
        triggers) are compared. Both are dropped afterwards. A squash built from the models that differs
        is built again from the operations; a squash that still differs is refused (exit 1) naming the
        objects. Without the privilege to create databases there, the squash exits 2.

        Databases before, inside and after the range stay correct once the application migrates through
        UseSafeMigrate(). Keep the replaced migrations until every database is past the range.

        squash --finalize [SQUASH] deletes the replaced migrations' files (migration and designer) of
        SQUASH (id or name of the squashed migration; default: every squash whose replaced migrations
        are still in the project), then rewrites safe-migrate.sum (the squashed migration then follows
        the migration before its range). It first checks the DbContext's database (its configured
        connection, or --connection) and every --also-connection <CS>: a database that has applied some,
        not all, of the replaced migrations (and not the squashed one) is inside the range, and would be
        refused by the code without them: finalizing is refused (exit 1, nothing deleted) until
        'dotnet safe-migrate apply' has brought it past the range. A database before the range will run
        the squashed migration; one after it counts it as applied. A database that cannot be reached
        refuses the finalize (exit 2) unless --force is given (then it is skipped, with a warning).
        Databases it is not told about are not checked: run it against each one (--connection or
        --also-connection) before deleting the files for good.
        """;

    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Squash a range of migrations into one that replaces them ([Replaces]), and record it in safe-migrate.sum.";
        command.ExtendedHelpText = Rules;
        var from = command.Argument("<FROM>", "The first migration to replace (id or name). With --finalize: SQUASH, the squashed migration to finalize (id or name; default: all).");
        var to = command.Argument("<TO>", "The last migration to replace (id or name).");
        var name = command.Option("--name <NAME>", "The squashed migration's name. Default: Squashed<FromName>To<ToName> (<ToName>SquashedFrom<FromName> when that would sort before TO).", CommandOptionType.SingleValue);
        var finalize = command.Option("--finalize", "Instead of squashing: delete the migrations a squashed migration replaces ('squash --finalize [SQUASH]'; default: every squash whose replaced migrations are still in the project), once no checked database is inside its range.", CommandOptionType.NoValue);
        var alsoConnection = command.Option("--also-connection <CONNECTION>", "With --finalize: another database to check before deleting (repeatable).", CommandOptionType.MultipleValue);
        var force = command.Option("-f|--force", "With --finalize: finalize even when a database cannot be reached (it is not checked; printed as a warning).", CommandOptionType.NoValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            if (finalize.HasValue())
            {
                var misuse = !string.IsNullOrWhiteSpace(to.Value) ? $"'{to.Value}': --finalize takes one migration, the squashed migration (SQUASH), not a range."
                    : name.HasValue() ? "--name is for writing a squash; --finalize deletes the migrations an existing squash replaces."
                    : null;
                if (misuse is not null)
                {
                    return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                        $"{misuse} Usage: dotnet safe-migrate squash --finalize [SQUASH] [--also-connection CS]... [--force] (SQUASH: the squashed migration's id or name; default: every squash whose replaced migrations are still in the project)."));
                }

                var squash = string.IsNullOrWhiteSpace(from.Value) ? null : from.Value.Trim();
                return CommandRunner.RunInProject(options, session => Task.FromResult(SquashOperations.Finalize(session, options.Context.Value(), squash, alsoConnection.Values.OfType<string>().ToList(), force.HasValue())));
            }

            if (alsoConnection.HasValue() || force.HasValue())
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    $"{(force.HasValue() ? "--force" : "--also-connection")} is an option of 'squash --finalize' only; writing a squash checks no database. Usage: dotnet safe-migrate squash --finalize [SQUASH] [--also-connection CS]... [--force]."));
            }

            if (string.IsNullOrWhiteSpace(from.Value) || string.IsNullOrWhiteSpace(to.Value))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    "Missing FROM or TO: dotnet safe-migrate squash <FROM> <TO> [--name NAME], the first and the last migration to replace (e.g. 'dotnet safe-migrate squash AddProductSku AddUniqueSkuIndex'). 'dotnet safe-migrate status' lists them."));
            }

            return CommandRunner.RunInProject(options, session => Task.FromResult(SquashOperations.Squash(session, options.Context.Value(), from.Value!, to.Value!, name.Value())));
        });
    }
}
