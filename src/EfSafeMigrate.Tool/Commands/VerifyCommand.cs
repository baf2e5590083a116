using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>verify</c>: drift between the database and the code. The schema the applied migrations give (built on a throwaway
/// database, <see cref="SchemaVerification"/>) is compared with the live one; exit 1 on drift.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Compare the database's schema with the schema its applied migrations give (tables, columns, indexes, constraints, sequences). Exit 1 on drift.";
        command.ExtendedHelpText = string.Join(Environment.NewLine,
        [
            "",
            "The applied migrations (as the history table lists them) are run one by one on an empty throwaway database",
            "<db>_verify_<utc> on the same server (dropped afterwards; the user needs CREATEDB), and the two catalogs are",
            "compared. Each missing, extra or different table, column (type, nullability, default, length), index, key,",
            "foreign key, check constraint and sequence is listed with the migration that created it. Views, functions and",
            "triggers (which EF Core does not model) are listed apart and are not drift. The database is only read.",
            "Also available as 'check --connection ... --schema' (findings SM404, SM405).",
        ]);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            var (report, _) = SchemaVerification.Run(session, options.Context.Value());
            return Task.FromResult(DriftPresenter.Present(session.Reporter, report, session.Database.Describe(), session.Database.Connection.Database));
        }));
    }
}
