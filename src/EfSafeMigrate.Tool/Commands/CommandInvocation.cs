using EfSafeMigrate.Tool.Hosting;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// One run of the command line: the user's arguments as given, and, in the inner process, what the outer
/// process said about the project. Held by the root of the command tree (<see cref="RootApplication"/>),
/// so that each run, in its own process or in a test, has its own.
/// </summary>
/// <param name="Arguments">The user's arguments, as given on the command line (re-run as they are in the inner process).</param>
/// <param name="Inner">Set in the inner process: the project's assemblies and folders; null in the outer process.</param>
/// <param name="Host">Where a project command's body runs from the outer side; null for the tool's own, a second process (<see cref="InnerProcessLauncher"/>).</param>
internal sealed record CommandInvocation(IReadOnlyList<string> Arguments, InnerHostArguments? Inner, IInnerHost? Host = null)
{
    /// <summary>The inner host: <see cref="Host"/>, or the inner process.</summary>
    public IInnerHost InnerHost => Host ?? InnerProcessLauncher.Instance;

    /// <summary>The invocation of the command tree <paramref name="command"/> belongs to.</summary>
    /// <exception cref="InvalidOperationException">The tree was not built by <see cref="RootCommand.Create"/>.</exception>
    public static CommandInvocation Of(CommandLineApplication command)
    {
        var root = command;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return (root as RootApplication)?.Invocation
            ?? throw new InvalidOperationException($"The command '{command.Name}' is not part of a tree built by RootCommand.Create.");
    }
}

/// <summary>The root of the <c>dotnet safe-migrate</c> command tree, holding its <see cref="CommandInvocation"/>.</summary>
internal sealed class RootApplication : CommandLineApplication
{
    /// <summary>Creates the root for one run.</summary>
    /// <param name="invocation">The run's arguments and inner-process header.</param>
    public RootApplication(CommandInvocation invocation)
    {
        Invocation = invocation;
    }

    /// <summary>The run's arguments and inner-process header.</summary>
    public CommandInvocation Invocation { get; }
}
