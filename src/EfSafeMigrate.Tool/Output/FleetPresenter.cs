using System.Collections.Concurrent;
using System.Diagnostics;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Locking;
using EfSafeMigrate.Tool.Operations.Fleet;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// The progress and the summary of <c>apply --fleet</c>. Progress goes to stderr: on a terminal, one live view
/// (Spectre.Console) with the counts and a row per running or failed database, refreshed four times a second; otherwise
/// (CI logs, pipes, <c>--prefix-output</c>) plain lines, each starting with the database's label in brackets, written
/// whole so that databases running at the same time never mix within a line. The summary table (stdout) or the
/// <c>--json</c> document (<see cref="FleetApplyResult"/>) comes at the end. Thread-safe: the databases' tasks report
/// concurrently.
/// </summary>
internal sealed class FleetPresenter : IAsyncDisposable
{
    private readonly Reporter _reporter;
    private readonly bool _live;
    private readonly int _total;
    private readonly ConcurrentDictionary<FleetEntry, DatabaseProgress> _running = new();
    private readonly ConcurrentQueue<FleetDatabaseResult> _finished = new();
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stopLive = new();
    private Task? _liveView;
    private int _disposed;

    /// <summary>Creates the presenter for a run over <paramref name="total"/> databases.</summary>
    /// <param name="reporter">Output.</param>
    /// <param name="total">How many databases the run has (the shard's).</param>
    /// <param name="live">True for the live view (stderr is a terminal); false for plain lines.</param>
    public FleetPresenter(Reporter reporter, int total, bool live)
    {
        _reporter = reporter;
        _total = total;
        _live = live;
        if (live)
        {
            _liveView = Task.Run(LiveViewAsync);
        }
    }

    /// <summary>A database's run starts: returns the observer its <see cref="PlanRunner"/> reports to.</summary>
    public DatabaseProgress Started(FleetEntry entry)
    {
        var progress = new DatabaseProgress(this, entry);
        _running[entry] = progress;
        return progress;
    }

    /// <summary>A database's run ended (whatever its outcome).</summary>
    public void Finished(FleetDatabaseResult result)
    {
        _running.TryRemove(result.Entry, out _);
        _finished.Enqueue(result);
        if (_live)
        {
            return;
        }

        var tag = Tag(result.Entry);
        switch (result.Status)
        {
            case FleetDatabaseStatus.Migrated:
                _reporter.Info($"{tag} done: {Migration(result.Before)} → {Migration(result.After)}, {result.Steps} step(s) in {result.Duration.TotalMilliseconds:0} ms.");
                break;
            case FleetDatabaseStatus.UpToDate:
                _reporter.Info($"{tag} up to date at {Migration(result.After)}: skipped.");
                break;
            default:
                _reporter.Error($"{tag} FAILED: {FirstLine(result.Error)}");
                break;
        }
    }

    /// <summary>Stops the live view (its last frame stays on the terminal).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopLive.CancelAsync();
        if (_liveView is not null)
        {
            await _liveView;
            _liveView = null;
        }

        _stopLive.Dispose();
    }

    /// <summary>Writes the summary table (stdout) or the JSON document, and the counts line (stderr).</summary>
    public void Summary(FleetOutcome outcome, FleetApplyResult json)
    {
        var counts = json.Summary;
        if (_reporter.Json)
        {
            _reporter.JsonDocument(json);
        }
        else
        {
            // Columns without content anywhere (no groups, no backups, no failures) are left out: the table must fit a terminal.
            var rows = outcome.Databases;
            var columns = new List<(string Name, Func<FleetDatabaseResult, string> Cell)>
            {
                ("Database", d => Markup.Escape(d.Entry.DisplayName)),
            };
            if (rows.Any(d => d.Entry.Group is not null))
            {
                columns.Add(("Group", d => Markup.Escape(d.Entry.Group ?? string.Empty)));
            }

            columns.Add(("Status", d => StatusMarkup(d.Status)));
            columns.Add(("Before", d => Markup.Escape(d.Status == FleetDatabaseStatus.Skipped ? string.Empty : d.Before ?? "-")));
            columns.Add(("After", d => Markup.Escape(d.Status == FleetDatabaseStatus.Skipped ? string.Empty : d.After ?? "-")));
            columns.Add(("Steps", d => d.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            columns.Add(("Time", d => d.Status == FleetDatabaseStatus.Skipped ? string.Empty : $"{d.Duration.TotalSeconds:0.0} s"));
            if (rows.Any(d => d.Backup is not null))
            {
                columns.Add(("Backup", d => Markup.Escape(d.Backup is null ? string.Empty : Path.GetFileName(d.Backup))));
            }

            if (rows.Any(d => d.Error is not null))
            {
                columns.Add(("Error", d => Markup.Escape(Shorten(FirstLine(d.Error), 80))));
            }

            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in columns)
            {
                table.AddColumn(column.Name);
            }

            foreach (var d in rows)
            {
                table.AddRow(columns.Select(c => c.Cell(d)).ToArray());
            }

            _reporter.Data(table);
        }

        var line = $"Fleet: {counts.Databases} database(s) in {_watch.Elapsed.TotalSeconds:0.0} s: {counts.Migrated} migrated, {counts.UpToDate} already up to date, {counts.Failed} failed, {counts.Skipped} not started.";
        if (counts.Failed == 0 && counts.Skipped == 0)
        {
            _reporter.Success(line);
        }
        else
        {
            _reporter.Info(line);
        }
    }

    private async Task LiveViewAsync()
    {
        var console = _reporter.CreateProgressConsole();
        try
        {
            await console.Live(Render()).AutoClear(true).StartAsync(async context =>
            {
                while (!_stopLive.IsCancellationRequested)
                {
                    context.UpdateTarget(Render());
                    context.Refresh();
                    try
                    {
                        await Task.Delay(250, _stopLive.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The run is over: one last frame.
                    }
                }

                context.UpdateTarget(Render());
                context.Refresh();
            });
        }
        catch (InvalidOperationException)
        {
            // Another live display is active (not expected); the plain summary still follows.
        }
    }

    private Table Render()
    {
        var finished = _finished.ToArray();
        var failed = finished.Where(r => r.Status == FleetDatabaseStatus.Failed).ToList();
        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(
            $"{finished.Length}/{_total} done: {finished.Count(r => r.Status == FleetDatabaseStatus.Migrated)} migrated, " +
            $"{finished.Count(r => r.Status == FleetDatabaseStatus.UpToDate)} up to date, {failed.Count} failed, " +
            $"{finished.Count(r => r.Status == FleetDatabaseStatus.Skipped)} not started; {_running.Count} running ({_watch.Elapsed.TotalSeconds:0} s)"));
        table.AddColumn("Database");
        table.AddColumn("State");
        table.AddColumn("Time");
        foreach (var progress in _running.Values.OrderBy(p => p.Entry.Position).Take(12))
        {
            table.AddRow(Markup.Escape(progress.Entry.DisplayName), Markup.Escape(progress.State), $"{progress.Elapsed.TotalSeconds:0.0} s");
        }

        foreach (var result in failed.Take(8))
        {
            table.AddRow(Markup.Escape(result.Entry.DisplayName), "[red]" + Markup.Escape(Shorten(FirstLine(result.Error), 70)) + "[/]", $"{result.Duration.TotalSeconds:0.0} s");
        }

        return table;
    }

    private void Line(FleetEntry entry, string message)
    {
        if (!_live)
        {
            _reporter.Info($"{Tag(entry)} {message}");
        }
    }

    private static string StatusMarkup(FleetDatabaseStatus status) => status switch
    {
        FleetDatabaseStatus.Migrated => "[green]migrated[/]",
        FleetDatabaseStatus.UpToDate => "up to date",
        FleetDatabaseStatus.Failed => "[red]FAILED[/]",
        _ => "[grey]not started[/]",
    };

    private static string Tag(FleetEntry entry) => $"[{entry.DisplayName}]";

    private static string Migration(string? id) => id ?? "no migration";

    private static string FirstLine(string? text) => text is null ? string.Empty : text.Split('\n')[0].TrimEnd('\r');

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>One database's progress: what its <see cref="PlanRunner"/> reports, as a line or as its row of the live view.</summary>
    internal sealed class DatabaseProgress : IPlanRunObserver
    {
        private readonly FleetPresenter _presenter;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private volatile string _state = "connecting";

        internal DatabaseProgress(FleetPresenter presenter, FleetEntry entry)
        {
            _presenter = presenter;
            Entry = entry;
        }

        /// <summary>The database.</summary>
        public FleetEntry Entry { get; }

        /// <summary>What it is doing now, for the live view.</summary>
        public string State => _state;

        /// <summary>Since it started.</summary>
        public TimeSpan Elapsed => _watch.Elapsed;

        /// <summary>The database is known (as <c>Describe</c> names it, never with a password).</summary>
        public void Describe(string database) => _state = "connecting to " + database;

        /// <inheritdoc />
        public void DatabaseCreated()
        {
            _state = "created (empty)";
            _presenter.Line(Entry, "the database did not exist: created it, empty (nothing to back up).");
        }

        /// <inheritdoc />
        public void WaitingForLock(string message)
        {
            _state = "waiting for the migration lock";
            _presenter.Line(Entry, message);
        }

        /// <inheritdoc />
        public void Planned(MigrationPlan plan) => _state = plan.IsEmpty ? "up to date" : $"{plan.Steps.Count} step(s) to run";

        /// <inheritdoc />
        public void BackupStarting() => _state = "backing up";

        /// <inheritdoc />
        public void BackupWritten(BackupEntry backup, TimeSpan elapsed)
        {
            _state = "backed up";
            _presenter.Line(Entry, $"backup written and verified in {elapsed.TotalMilliseconds:0} ms: {backup.Path}");
        }

        /// <inheritdoc />
        public void StepStarting(MigrationStep step) => _state = $"{PlanRunPresenter.Verb(step.Action)} {step.MigrationId}";

        /// <inheritdoc />
        public void StepFinished(MigrationStep step, TimeSpan elapsed)
            => _presenter.Line(Entry, $"{PlanRunPresenter.Verb(step.Action)} {step.MigrationId} ... done ({elapsed.TotalMilliseconds:0} ms)");

        /// <inheritdoc />
        public void StepFailed(MigrationStep step, TimeSpan elapsed)
        {
            _state = $"FAILED {step.MigrationId}";
            _presenter.Line(Entry, $"{PlanRunPresenter.Verb(step.Action)} {step.MigrationId} ... FAILED ({elapsed.TotalMilliseconds:0} ms)");
        }

        /// <inheritdoc />
        public void StepInterrupted(MigrationStep step)
        {
            _state = $"interrupted {step.MigrationId}";
            _presenter.Line(Entry, $"{PlanRunPresenter.Verb(step.Action)} {step.MigrationId} ... INTERRUPTED (rolled back)");
        }

        /// <inheritdoc />
        public void StepRetrying(MigrationStep step, int attempt, int attempts, TimeSpan delay, IReadOnlyList<BlockingSession> blockers)
        {
            _state = $"lock timeout on {step.MigrationId}, retry {attempt + 1} of {attempts}";
            var by = blockers.Count == 0 ? string.Empty : " Blocked by " + string.Join("; ", blockers.Select(b => b.Describe())) + ".";
            _presenter._reporter.Warning($"{Tag(Entry)} migration '{step.MigrationId}' waited longer than --ddl-lock-timeout for a lock (attempt {attempt} of {attempts}).{by} Trying again in {delay.TotalSeconds:0.#} s.");
        }
    }
}
