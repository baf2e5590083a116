using System.IO.Pipes;
using System.Text;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Where the tool's data (tables, JSON, scripts, findings) is written. In the outer process, and whenever the
/// tool runs without an inner process, it is standard output. In the inner process it is a pipe of its own that
/// the outer process created and copies to its standard output (the role <c>dotnet ef</c>'s
/// <c>--prefix-output</c> channel plays between <c>dotnet-ef</c> and <c>ef.dll</c>): the inner process's standard
/// output belongs to the application, whose console logging (EF Core's <c>info:</c> lines of a web app or a
/// generic host) therefore never mixes with the data. The outer process drops the application's output, or
/// copies it to standard error with <c>--verbose</c> (<see cref="InnerProcessLauncher"/>).
/// </summary>
internal static class DataChannel
{
    /// <summary>Environment variable holding the pipe's handle (the inner process's end), set by the outer process.</summary>
    public const string PipeVariable = "SAFE_MIGRATE_DATA_PIPE";

    /// <summary>Environment variable set to the terminal width (columns) when the outer process's standard output is a terminal.</summary>
    public const string TerminalWidthVariable = "SAFE_MIGRATE_DATA_TERMINAL_WIDTH";

    private static TextWriter? _pipe;

    /// <summary>The data writer: the pipe in the inner process, otherwise standard output (<see cref="Console.Out"/> as it is at the time of use).</summary>
    public static TextWriter Out => _pipe ?? Console.Out;

    /// <summary>False when the data reaches a terminal (colours and the terminal's width apply).</summary>
    public static bool IsRedirected => _pipe is null ? Console.IsOutputRedirected : TerminalWidth is null;

    /// <summary>The terminal's width in columns when the data goes to a terminal through the pipe; null otherwise.</summary>
    public static int? TerminalWidth { get; private set; }

    /// <summary>
    /// In the inner process: opens the pipe the outer process passed (no-op when there is none, e.g. an inner
    /// process started by hand) and removes the variables, so that processes the application starts do not see them.
    /// </summary>
    public static void OpenInner()
    {
        var handle = Environment.GetEnvironmentVariable(PipeVariable);
        if (string.IsNullOrEmpty(handle))
        {
            return;
        }

        var width = Environment.GetEnvironmentVariable(TerminalWidthVariable);
        Environment.SetEnvironmentVariable(PipeVariable, null);
        Environment.SetEnvironmentVariable(TerminalWidthVariable, null);
        var pipe = new AnonymousPipeClientStream(PipeDirection.Out, handle);
        TerminalWidth = int.TryParse(width, out var columns) && columns > 0 ? columns : null;
        _pipe = TextWriter.Synchronized(new StreamWriter(pipe, new UTF8Encoding(false)) { AutoFlush = true });
    }

    /// <summary>Flushes the data writer (before the process exits).</summary>
    public static void Flush() => Out.Flush();
}
