using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool;

/// <summary>Parses the arguments and runs the chosen command.</summary>
internal static class CommandLine
{
    /// <summary>The full command as typed, e.g. <c>dotnet safe-migrate backup verify</c>.</summary>
    private static string CommandPath(CommandLineApplication command)
    {
        var names = new Stack<string>();
        for (var c = command; c is not null; c = c.Parent)
        {
            names.Push(c.Name ?? string.Empty);
        }

        return string.Join(' ', names).Trim();
    }

    /// <summary>Runs the command tree on <paramref name="args"/>; returns one of <see cref="ExitCodes"/>.</summary>
    /// <param name="args">The user's arguments.</param>
    /// <param name="inner">Set inside the application (the inner process): what the outer side said about the project.</param>
    /// <param name="host">Where project commands run from the outer side; null for the inner process (<see cref="InnerProcessLauncher"/>).</param>
    public static int Execute(string[] args, InnerHostArguments? inner, IInnerHost? host = null)
    {
        var helpRequested = args.Any(a => a is "-h" or "--help" or "-?" or "--version");
        var app = RootCommand.Create(helpRequested ? Console.Out : Console.Error, helpRequested || args.Length == 0 ? null : args[0], new CommandInvocation(args, inner, host));
        try
        {
            return app.Execute(args);
        }
        catch (CommandParsingException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message.TrimEnd('.')}. Run '{CommandPath(ex.Command)} --help' for usage.");
            return ExitCodes.UsageError;
        }
        catch (CommandException ex)
        {
            // An invalid safe-migrate.json or SAFE_MIGRATE_* variable, found once the arguments were parsed.
            return ErrorHandler.Report(ex, new Output.Reporter(json: false, noColor: args.Contains("--no-color"), verbose: false, prefixOutput: args.Contains("--prefix-output")));
        }
    }
}
