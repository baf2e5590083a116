using EfSafeMigrate.Consistency;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Tool.Commands;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Builds the <see cref="SquashEquivalenceProof"/> of a project: scratch databases on the server of the
/// DbContext's connection string (the application's configured one, or <c>--connection</c>), named after its
/// database, and the application's DbContext created again (as <c>dotnet ef</c> does) on each of them.
/// </summary>
public static class SquashProofFactory
{
    /// <summary>The proof for the session's project, with the DbContext the command's <c>--context</c> names.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="options">The command's options (<c>--context</c>).</param>
    /// <param name="purpose">What needs the proof, for the message when there is no server (e.g. <c>check --build</c>).</param>
    /// <exception cref="CommandException">No PostgreSQL connection string (exit code 2).</exception>
    public static SquashEquivalenceProof For(ProjectSession session, ProjectOptions options, string purpose)
        => For(session, options.Context.Value(), purpose);

    /// <summary>The proof for the session's project.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextName">The <c>--context</c> option, or null.</param>
    /// <param name="purpose">What needs the proof, for the message when there is no server (e.g. <c>squash</c>).</param>
    /// <exception cref="CommandException">No PostgreSQL connection string (exit code 2).</exception>
    public static SquashEquivalenceProof For(ProjectSession session, string? contextName, string purpose)
    {
        DatabaseServices database;
        try
        {
            database = session.Database;
        }
        catch (CommandException ex)
        {
            throw new CommandException(ex.ExitCode,
                $"{ex.Message} {purpose} proves the squashed migration against the original migrations on two scratch databases on the project's database server; " +
                "give it a server where the user may create databases: --connection \"Host=...;Username=...\" (its database is not changed).", ex);
        }

        var connectionString = session.Context.Database.GetConnectionString()!;
        var reporter = session.Reporter;
        return new SquashEquivalenceProof(
            new NpgsqlScratchDatabaseServer(connectionString),
            cs => session.Design.CreateContext(contextName, cs),
            database.Connection.Database)
        {
            Progress = reporter.Detail,
        };
    }
}
