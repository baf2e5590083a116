using System.Runtime.CompilerServices;
using EfSafeMigrate.Tool.Hosting;

namespace EfSafeMigrate.Tool;

/// <summary>
/// Entry point. Started by the user, the tool is the outer process: it parses options, builds the
/// project and re-runs itself inside the application's dependencies (the inner process, first
/// argument <see cref="InnerHostArguments.Marker"/>), as <c>dotnet ef</c> runs <c>ef.dll</c>.
/// </summary>
internal static class Program
{
    /// <summary>Runs the tool; returns one of <see cref="ExitCodes"/>.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == InnerHostArguments.Marker)
        {
            var (header, userArguments) = InnerHostArguments.Parse(args[1..]);
            // Before anything touches the tool's own dependencies, which the app's deps.json does not list.
            AppAssemblyResolver.Install(header.TargetDir);
            Interruption.Install();
            DataChannel.OpenInner();
            var exitCode = Run(ConnectionHandOver.Restore(userArguments), header);
            DataChannel.Flush();
            return exitCode;
        }

        return Run(args, null);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(string[] args, InnerHostArguments? inner) => CommandLine.Execute(args, inner);
}
