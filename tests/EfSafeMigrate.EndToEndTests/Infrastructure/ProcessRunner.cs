using System.Diagnostics;
using System.Text;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>What a finished (or killed) process left behind.</summary>
/// <param name="ExitCode">The exit code; for a process killed by a signal, 128 + the signal number.</param>
/// <param name="TimedOut">True when the process tree was killed because it ran longer than its timeout.</param>
public sealed record ProcessResult(
    string CommandLine, int ExitCode, string StdOut, string StdErr, TimeSpan Duration, bool TimedOut)
{
    /// <summary>stdout and stderr together, for assertions on "the output".</summary>
    public string Output => StdOut + Environment.NewLine + StdErr;

    /// <summary>A readable account for assertion messages and test logs.</summary>
    public string Describe(int maxChars = 20_000) =>
        $"$ {CommandLine}{Environment.NewLine}exit {ExitCode}{(TimedOut ? " (TIMED OUT, killed)" : "")} after {Duration.TotalSeconds:0.0} s" +
        $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{Truncate(StdOut, maxChars)}" +
        $"{Environment.NewLine}--- stderr ---{Environment.NewLine}{Truncate(StdErr, maxChars)}";

    public override string ToString() => Describe();

    private static string Truncate(string text, int max) =>
        text.Length <= max ? text : text[..(max / 2)] + $"{Environment.NewLine}[... {text.Length - max} chars ...]{Environment.NewLine}" + text[^(max / 2)..];
}

/// <summary>
/// A child process started with an argument list (no shell), stdin redirected and closed at once
/// (so it is not a terminal and reads end of file), stdout and stderr captured.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly Stopwatch _clock;
    private bool _timedOut;

    private RunningProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        _clock = Stopwatch.StartNew();
        _stdoutPump = Pump(process.StandardOutput, _stdout);
        _stderrPump = Pump(process.StandardError, _stderr);
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public TimeSpan Elapsed => _clock.Elapsed;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static RunningProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The environment as it is outside an in-process run of the tool that may be under way; then quiet, reproducible
        // child processes.
        InProcessTool.TakeEnvironment(info);
        foreach (var (name, value) in ChildEnvironment())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(name);
                }
                else
                {
                    info.Environment[name] = value;
                }
            }
        }

        var commandLine = MaskPasswords(string.Join(' ', new[] { fileName }.Concat(info.ArgumentList.Select(Quote))));
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {commandLine}");
        process.StandardInput.Close();
        return new RunningProcess(process, commandLine);
    }

    /// <summary>
    /// What every child process of the tests gets on top of the test process's environment (a null value: removed):
    /// quiet, reproducible .NET CLI output, the run's build servers (<see cref="BuildServers"/>), no colours, no terminal,
    /// and none of the connection strings or passwords the tests use.
    /// </summary>
    public static Dictionary<string, string?> ChildEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        };
        BuildServers.Apply(environment);
        environment["NO_COLOR"] = "1";
        environment["TERM"] = "dumb";
        environment["ConnectionStrings__Shop"] = null;
        environment["PGPASSWORD"] = null;
        return environment;
    }

    /// <summary>Runs a process to its end, killing its whole tree when it outlives <paramref name="timeout"/>.</summary>
    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var running = Start(fileName, arguments, workingDirectory, environment);
        return running.WaitForExit(timeout);
    }

    /// <summary>Sends SIGKILL to the process and all its descendants.</summary>
    public void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Waits for the end; on timeout kills the tree and marks the result as timed out.</summary>
    public ProcessResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _timedOut = true;
            KillTree();
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        // The pipes close when the last process holding them ends; a stray grandchild must not hang us.
        Task.WaitAll(new[] { _stdoutPump, _stderrPump }, TimeSpan.FromSeconds(15));
        _clock.Stop();
        return new ProcessResult(
            CommandLine,
            _process.HasExited ? _process.ExitCode : -1,
            Snapshot(_stdout),
            Snapshot(_stderr),
            _clock.Elapsed,
            _timedOut);
    }

    /// <summary>stdout so far.</summary>
    public string CurrentStdOut => Snapshot(_stdout);

    /// <summary>stderr so far.</summary>
    public string CurrentStdErr => Snapshot(_stderr);

    public void Dispose() => _process.Dispose();

    private static string Snapshot(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static Task Pump(StreamReader reader, StringBuilder sink) => Task.Run(async () =>
    {
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
            {
                lock (sink)
                {
                    sink.Append(buffer, 0, read);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    });

    /// <summary>Replaces the value of every <c>Password=</c> in a connection string by <c>***</c>.</summary>
    public static string MaskPasswords(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "(?i)(password\\s*=)[^;' ]*", "$1***");

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
