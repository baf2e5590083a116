using System.Runtime.InteropServices;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>The fixture and the process helpers of the execution-safety tests (locks, timeouts, signals, secrets).</summary>
public static class ExecutionFixtures
{
    /// <summary>
    /// tests/Fixtures/ShopWithSlowMigration: the sample's migrations plus SlowStep (right after RenameCustomerName),
    /// which creates table SlowMarker and then sleeps 3 s.
    /// </summary>
    public static FixtureProject ShopWithSlowMigration
    {
        get
        {
            var path = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithSlowMigration", "ShopWithSlowMigration.csproj");
            var ids = FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(path)!)
                .Concat(FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(RepoPaths.ShopProject)!))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            return new FixtureProject(path, ids);
        }
    }

    /// <summary>Sends a signal (2: SIGINT, 15: SIGTERM) to one process.</summary>
    public static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
        }
    }

    /// <summary>The process ids whose parent is <paramref name="pid"/> (from <c>/proc/*/stat</c>).</summary>
    public static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid ...; comm may hold spaces and parentheses: read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(candidate);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // The process ended meanwhile.
            }
        }

        return children;
    }

    /// <summary>True when the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The command line of every process this user can read, by pid (arguments joined by spaces).</summary>
    public static Dictionary<int, string> CommandLines()
    {
        var lines = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                lines[pid] = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return lines;
    }

    /// <summary>Waits until <paramref name="condition"/> holds or the process exits or the timeout passes; returns whether it holds.</summary>
    public static bool WaitFor(RunningProcess process, Func<bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            if (process.HasExited)
            {
                return condition();
            }

            Thread.Sleep(20);
        }

        return condition();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
