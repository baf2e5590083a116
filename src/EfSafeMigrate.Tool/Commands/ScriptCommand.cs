using System.Text;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>script [FROM] [TO]</c>: the SQL of a plan, from EF Core's SQL generator, with custom SQL
/// terminated so the script runs as is with <c>psql -v ON_ERROR_STOP=1 -f</c>.
/// </summary>
internal static class ScriptCommand
{
    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Generate the SQL script from FROM to TO (runs as is with psql -v ON_ERROR_STOP=1 -f).";
        var from = command.Argument("FROM", "Starting migration (exclusive) id or name. Default: 0 (an empty database).");
        var to = command.Argument("TO", "Ending migration (inclusive) id or name. Default: the newest.");
        var idempotent = command.Option("-i|--idempotent", "Generate a script that can be used on a database at any migration.", CommandOptionType.NoValue);
        var noTransactions = command.Option("--no-transactions", "Do not wrap each migration in a transaction.", CommandOptionType.NoValue);
        var output = command.Option("-o|--output <FILE>", "The file to write the script to. Default: stdout.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            var sqlOptions = MigrationsSqlGenerationOptions.Default;
            if (idempotent.HasValue()) { sqlOptions |= MigrationsSqlGenerationOptions.Idempotent; }
            if (noTransactions.HasValue()) { sqlOptions |= MigrationsSqlGenerationOptions.NoTransactions; }
            var script = session.Migrator.GenerateScript(from.Value, to.Value, sqlOptions);
            string? path = null;
            if (output.HasValue())
            {
                path = Path.GetFullPath(output.Value()!);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, script, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                session.Reporter.Info($"Script written to {path}.");
            }

            if (session.Reporter.Json)
            {
                session.Reporter.JsonDocument(new ScriptResult(from.Value, to.Value, idempotent.HasValue(), !noTransactions.HasValue(), path, path is null ? script : null));
            }
            else if (path is null)
            {
                session.Reporter.Text(script);
            }

            return Task.FromResult(ExitCodes.Success);
        }));
    }
}
