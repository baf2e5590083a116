using System.Diagnostics;
using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Tool.Output.Progress;

/// <summary>
/// Shows a backup provider's reports (<see cref="IBackupProvider.Progress"/>) on a <see cref="LiveProgress"/>:
/// <c>Backing up "shop": 14.2 MB written (3.1 MB/s), table public.Orders</c>, then <c>verifying the archive</c>;
/// <c>Restoring shop_....dump: table public.Orders (12 tables done)</c>. Sizes and rates through <see cref="HumanFormat"/>;
/// the rate is the average since the dump started.
/// </summary>
internal sealed class BackupProgressView : IProgress<BackupProgress>
{
    private readonly LiveProgress _live;
    private readonly string _dumping;
    private readonly string _restoring;
    private readonly Stopwatch _clock = new();
    private BackupPhase? _phase;

    /// <summary>Creates the view.</summary>
    /// <param name="live">Where it is drawn.</param>
    /// <param name="dumping">What a dump is called: <c>Backing up "shop"</c>.</param>
    /// <param name="restoring">What a restore is called: <c>Restoring shop_20261129_....dump</c>.</param>
    public BackupProgressView(LiveProgress live, string dumping, string restoring)
    {
        _live = live;
        _dumping = dumping;
        _restoring = restoring;
    }

    /// <summary>Attaches a view to <paramref name="provider"/> when <paramref name="live"/> is drawn; returns the provider.</summary>
    public static IBackupProvider Attach(IBackupProvider provider, LiveProgress? live, string dumping, string restoring)
    {
        if (live is not null)
        {
            provider.Progress = new BackupProgressView(live, dumping, restoring);
        }

        return provider;
    }

    /// <inheritdoc />
    public void Report(BackupProgress value)
    {
        if (_phase != value.Phase)
        {
            if (value.Phase != BackupPhase.Verifying)
            {
                _clock.Restart();
            }

            _phase = value.Phase;
            _live.Show(Describe(value));
            return;
        }

        _live.Update(Describe(value));
    }

    private string Describe(BackupProgress value) => value.Phase switch
    {
        BackupPhase.Dumping => $"{_dumping}: {HumanFormat.Bytes(value.Bytes)} written ({HumanFormat.Rate(value.Bytes, _clock.Elapsed)}){(value.Current is { } current ? ", " + current : string.Empty)}",
        BackupPhase.Verifying => $"{_dumping}: verifying the archive ({value.TablesDone} table(s) dumped)",
        _ => $"{_restoring}: {value.Current ?? "starting"} ({value.TablesDone} table(s) done)",
    };
}
