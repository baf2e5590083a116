using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Linting;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>lint [FROM] [TO]</c>: PostgreSQL lock, rewrite and compatibility findings for migrations, from
/// EF Core's migration operations. Which migrations: FROM (exclusive; <c>0</c> = the beginning) to TO
/// (inclusive) when given; else the pending ones when a database is given (<c>--connection</c> or
/// <c>--database</c>); else those not on <c>--against REF</c>; else all. With a database, real table sizes
/// decide severities. Exit 1 when any finding is an error.
/// </summary>
internal static class LintCommand
{
    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Find migration operations that lock, rewrite or break production (PostgreSQL), with the safe EF Core recipe. Exit 1 on errors.";
        var from = command.Argument("FROM", "Lint the migrations after FROM (id or name; 0: from the first).");
        var to = command.Argument("TO", "... up to TO (inclusive). Default: the newest.");
        var database = command.Option("--database", "Use the DbContext's database (implied by --connection): lint its pending migrations, with real table sizes.", CommandOptionType.NoValue);
        var against = command.Option("--against <REF>", "Without a database: lint the migrations that REF (e.g. origin/main) does not have.", CommandOptionType.SingleValue);
        var settings = LintSettings.Add(command);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            var lintOptions = settings.ToOptions();
            var useDatabase = database.HasValue() || options.Connection.HasValue();
            var inputs = new LintInputs(session);
            var (ids, scope) = Select(session, from.Value, to.Value, useDatabase, against.Value());
            var lintDatabase = useDatabase ? inputs.Database() : null;
            var report = new LintEngine(lintOptions, lintDatabase).Run(inputs.For(ids, revert: false));
            LintPresenter.Present(session.Reporter, report, scope);
            return Task.FromResult(report.Errors > 0 ? ExitCodes.ProblemsFound : ExitCodes.Success);
        }));
    }

    private static (IReadOnlyList<string> Ids, string Scope) Select(ProjectSession session, string? from, string? to, bool useDatabase, string? against)
    {
        var all = session.Migrator.Migrations;
        if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to))
        {
            var start = string.IsNullOrEmpty(from) || from == "0" ? 0 : IndexOf(all, session.Migrator.ResolveTarget(from)) + 1;
            var end = string.IsNullOrEmpty(to) ? all.Count - 1 : IndexOf(all, session.Migrator.ResolveTarget(to));
            return (all.Skip(start).Take(Math.Max(0, end - start + 1)).ToList(), $"the range {(string.IsNullOrEmpty(from) ? "0" : from)}..{(string.IsNullOrEmpty(to) ? "newest" : to)}");
        }

        if (useDatabase)
        {
            var applied = session.Migrator.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
            return (all.Where(id => !applied.Contains(id)).ToList(), $"the pending migrations of {session.Database.Describe()}");
        }

        if (!string.IsNullOrEmpty(against))
        {
            var files = MigrationFiles.For(session.ProjectDir);
            var theirs = files.FromCommit(against).Scan().Migrations.Where(m => m.Id is not null).Select(m => m.Id!).ToHashSet(StringComparer.Ordinal);
            return (all.Where(id => !theirs.Contains(id)).ToList(), $"the migrations not on {against}");
        }

        return (all, "all migrations");
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        return -1;
    }
}
