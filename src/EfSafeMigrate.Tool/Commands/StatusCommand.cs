using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>status</c>: every migration with applied / pending, and history rows the code does not know. <c>--graph</c> draws the
/// migration graph instead (<see cref="Operations.GraphOperations"/>), and still draws it when the database cannot be read.
/// </summary>
internal static class StatusCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Show every migration as applied or pending, and applied migrations the code does not have.";
        var graph = command.Option("--graph", "Draw the migration graph like 'git log --graph': branches, merge migrations, squashes with their range, and applied/pending per migration when the database can be read (without one, drawn from the files). --json: nodes and edges.", CommandOptionType.NoValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session => Task.FromResult(graph.HasValue() ? Graph(session) : Execute(session))));
    }

    private static int Graph(ProjectSession session)
    {
        var (result, problem) = Operations.GraphOperations.Read(session);
        GraphPresenter.Present(session.Reporter, result, problem);
        return ExitCodes.Success;
    }

    private static int Execute(ProjectSession session)
    {
        RestoreLeftoverCheck.Check(session);
        foreach (var leftover in Operations.RehearsalOperations.Leftovers(session))
        {
            session.Reporter.Warning($"\"{leftover}\" is a scratch copy left by a rehearsal that was stopped (or kept with --keep); the next 'dotnet safe-migrate rehearse' drops it, or: DROP DATABASE \"{leftover}\" WITH (FORCE);");
        }

        var code = session.Migrator.Migrations;
        var applied = session.Migrator.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
        var idGenerator = session.Context.GetService<IMigrationsIdGenerator>();
        var entries = StatusResult.Entries(code, applied, idGenerator.GetName);
        var result = new StatusResult(session.ContextName, session.Database.Connection.Database, entries);
        if (session.Reporter.Json)
        {
            session.Reporter.JsonDocument(result);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Migration", "Status");
        foreach (var entry in entries)
        {
            table.AddRow(Markup.Escape(entry.Id), entry.Status switch
            {
                MigrationState.Applied => "[green]applied[/]",
                MigrationState.Pending => "[yellow]pending[/]",
                _ => "[red]unknown (not in the code)[/]",
            });
        }

        session.Reporter.Data(table);
        var pending = entries.Count(e => e.Status == MigrationState.Pending);
        var unknown = entries.Where(e => e.Status == MigrationState.Unknown).Select(e => e.Id).ToList();
        session.Reporter.Info($"{session.Database.Describe()}: {entries.Count(e => e.Status == MigrationState.Applied)} applied, {pending} pending.");
        if (unknown.Count > 0)
        {
            session.Reporter.Warning($"The database has {unknown.Count} applied migration(s) that the code does not have ({string.Join(", ", unknown)}), typically from another branch. Revert them from the branch that has them (dotnet safe-migrate rollback --to <migration>) before switching.");
        }

        return ExitCodes.Success;
    }
}
