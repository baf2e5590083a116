using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Journal;
using EfSafeMigrate.Npgsql.Locking;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary>Runs <see cref="PlanRunner"/> on a <see cref="JournalTestContext"/> the way the tool does: advisory lock, journal, checksums.</summary>
internal static class JournalRuns
{
    public const string ToolVersion = "9.9.9-test";

    /// <summary>A checksum that looks like a real one (64 hex digits) and tells migrations and versions apart.</summary>
    public static string Checksum(char digit) => new(digit, 64);

    public static Task<PlanRunResult> RunAsync(
        DbContext context,
        string? target,
        Func<string, string?>? checksum,
        Func<MigrationPlan, MigrationPlan>? adjustPlan = null,
        IBackupProvider? backup = null,
        string? backupFolder = null,
        List<JournalWriteException>? failures = null)
    {
        var runner = new PlanRunner(
            new SafeMigrator(context),
            new PgAdvisoryLock((NpgsqlConnection)context.Database.GetDbConnection()),
            backup,
            new RecordingObserver());
        return runner.RunAsync(new PlanRunOptions(target, TimeSpan.FromSeconds(30), backupFolder, adjustPlan)
        {
            Journal = new JournalRecorder(context, new NpgsqlJournalTableProbe(), ToolVersion),
            Checksum = checksum,
            JournalFailed = failures is null ? null : failures.Add,
        });
    }

    public static JournalReader Reader(DbContext context) => new(context, new NpgsqlJournalTableProbe());

    public static JournalRecorder Recorder(DbContext context) => new(context, new NpgsqlJournalTableProbe(), ToolVersion);
}
