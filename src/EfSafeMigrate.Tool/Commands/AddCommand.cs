using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>add NAME</c>: scaffolds a migration as <c>dotnet ef migrations add</c> does and records it in
/// <c>safe-migrate.sum</c> (<see cref="AddOperations"/>).
/// </summary>
public static class AddCommand
{
    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Add a migration for the model's pending changes (as 'dotnet ef migrations add') and record it in safe-migrate.sum.";
        var name = command.Argument("<NAME>", "The name of the migration.");
        var outputDir = command.Option("-o|--output-dir <PATH>", "The folder to put the files in, relative to the project folder. Default: the previous migration's folder, else 'Migrations'.", CommandOptionType.SingleValue);
        var @namespace = command.Option("-n|--namespace <NAMESPACE>", "The namespace of the migration. Default: from the folder.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() =>
        {
            if (string.IsNullOrWhiteSpace(name.Value))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError,
                    "Missing the migration's name: dotnet safe-migrate add <NAME> (e.g. 'dotnet safe-migrate add AddProductColour')."));
            }

            return CommandRunner.RunInProject(options, session =>
                Task.FromResult(AddOperations.Add(session, options.Context.Value(), name.Value!, outputDir.Value(), @namespace.Value())));
        });
    }
}
