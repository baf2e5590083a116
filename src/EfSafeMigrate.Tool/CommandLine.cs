using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool;

/// <summary>Parses the arguments and runs the chosen command.</summary>
public static class CommandLine
{
    /// <summary>Runs the command tree on <paramref name="args"/>; <paramref name="inner"/> is set in the inner process.</summary>
    public static int Execute(string[] args, InnerHostArguments? inner)
    {
        CommandRunner.Arguments = args;
        CommandRunner.Inner = inner;
        var app = RootCommand.Create();
        try
        {
            return app.Execute(args);
        }
        catch (CommandParsingException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}. Run 'dotnet safe-migrate {ex.Command.Name} --help' for usage.");
            return ExitCodes.UsageError;
        }
    }
}
