using System.Runtime.InteropServices;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM in the inner process, the one that runs the migrations. Outside a
/// protected section (<see cref="Protect"/>) a signal keeps .NET's default: the process ends. Inside
/// one — a migration run — the signal is taken over (<see cref="PosixSignalContext.Cancel"/>) and
/// cancels <see cref="Token"/>, so the run stops at its next safe point: the running migration's
/// statement is cancelled and its transaction rolls back, no further migration starts, a backup
/// being written is stopped (pg_dump killed, its <c>.partial</c> file removed); the command then
/// exits with <see cref="ExitCode"/> (130 for SIGINT, 143 for SIGTERM: 128 + the signal number, as
/// shells report a process ended by it). A second signal changes nothing (the run is already
/// stopping). The outer process forwards both signals here (<see cref="InnerProcessLauncher"/>).
/// </summary>
internal static class Interruption
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _protected;
    private static int _signal;

    /// <summary>Cancelled when SIGINT or SIGTERM arrived inside a protected section.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>The signal that cancelled <see cref="Token"/> (<c>SIGINT</c> or <c>SIGTERM</c>), or null.</summary>
    public static string? SignalName => Volatile.Read(ref _signal) switch { 2 => "SIGINT", 15 => "SIGTERM", _ => null };

    /// <summary>The exit code for the signal received: <see cref="ExitCodes.Interrupted"/> (SIGINT) or <see cref="ExitCodes.Terminated"/> (SIGTERM); null when none was.</summary>
    public static int? ExitCode => Volatile.Read(ref _signal) switch { 2 => ExitCodes.Interrupted, 15 => ExitCodes.Terminated, _ => null };

    /// <summary>Registers the handlers (once, at the start of the inner process).</summary>
    public static void Install()
    {
        lock (Registrations)
        {
            if (Registrations.Count > 0)
            {
                return;
            }

            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, 2)));
            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, 15)));
            WatchParent();
        }
    }

    /// <summary>
    /// When the outer process ends without forwarding a signal (killed with SIGKILL), this process is
    /// re-parented; it then stops as on SIGTERM (at a safe point inside a migration run, at once outside
    /// one) instead of going on alone. Checked every second with <c>getppid()</c>; Linux and macOS only.
    /// </summary>
    private static void WatchParent()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var parent = GetParentProcessId();
        ParentWatch = new Timer(_ =>
        {
            if (GetParentProcessId() == parent)
            {
                return;
            }

            ParentWatch?.Dispose();
            if (Volatile.Read(ref _protected) == 0)
            {
                Environment.Exit(ExitCodes.Terminated);
            }

            if (Interlocked.CompareExchange(ref _signal, 15, 0) == 0)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine("The tool's outer process ended: stopping at the next safe point (the running migration rolls back, no further migration starts) ...");
                Source.Cancel();
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private static Timer? ParentWatch { get; set; }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();

    /// <summary>A section in which a signal cancels <see cref="Token"/> instead of ending the process; dispose to leave it.</summary>
    public static IDisposable Protect()
    {
        Interlocked.Increment(ref _protected);
        return new Section();
    }

    private static void Handle(PosixSignalContext context, int signal)
    {
        if (Volatile.Read(ref _protected) == 0 && Volatile.Read(ref _signal) == 0)
        {
            return; // the default: the process ends
        }

        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _signal, signal, 0) == 0)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine($"{SignalName} received: stopping at the next safe point (the running migration rolls back, no further migration starts) ...");
            _ = Task.Run(Source.Cancel); // cancellation callbacks (Npgsql's cancel request) run off the signal thread
        }
    }

    private sealed class Section : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref _protected);
            }
        }
    }
}
