using Spectre.Console;

namespace EfSafeMigrate.Tool.Output.Progress;

/// <summary>
/// One line of live progress on stderr, drawn by Spectre.Console's progress display (a spinner, the description, the elapsed
/// time of the current item), for long work: a backup, a restore, each migration of an apply. Created only when
/// <see cref="Reporter.CanShowProgress"/> (stderr is a terminal, no <c>--json</c>); elsewhere the commands print their plain
/// lines, as they always have. While it is drawn, the reporter's messages are written through its console, so they appear
/// above it; it is cleared when disposed (dispose it before the command's last messages and before an error is printed).
/// Thread-safe: progress reports arrive from background threads.
/// </summary>
internal sealed class LiveProgress : IDisposable
{
    private readonly Reporter _reporter;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _display;
    private readonly ProgressContext _context;
    private readonly Lock _gate = new();
    private ProgressTask? _item;
    private bool _disposed;

    private LiveProgress(Reporter reporter)
    {
        _reporter = reporter;
        var console = reporter.CreateProgressConsole();
        var ready = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        _display = console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ready.SetResult(context);
                await _done.Task.ConfigureAwait(false);
            });
        _context = ready.Task.GetAwaiter().GetResult();
        reporter.RouteMessagesThrough(console);
    }

    /// <summary>Starts live progress when the reporter may draw it; null otherwise (then print plain lines).</summary>
    public static LiveProgress? Start(Reporter reporter) => reporter.CanShowProgress ? new LiveProgress(reporter) : null;

    /// <summary>Shows a new item (its elapsed time starts at 0), replacing the current one.</summary>
    /// <param name="description">What is being done, as plain text (not markup).</param>
    public void Show(string description)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _item?.StopTask();
            _item = _context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1);
            _item.IsIndeterminate = true;
        }
    }

    /// <summary>Changes the current item's description (shows it when there is none).</summary>
    public void Update(string description)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_item is null)
            {
                _item = _context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1);
                _item.IsIndeterminate = true;
                return;
            }

            _item.Description = Markup.Escape(description);
        }
    }

    /// <summary>Clears the display and sends messages to stderr directly again.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _item?.StopTask();
        }

        _done.TrySetResult();
        try
        {
            _display.GetAwaiter().GetResult();
        }
        finally
        {
            _reporter.RouteMessagesThrough(null);
        }
    }
}
