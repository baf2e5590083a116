using EfSafeMigrate.Backups;
using EfSafeMigrate.Npgsql.Backups;

namespace EfSafeMigrate.Tests.Npgsql.Backups;

public class PgVerboseProgressTests
{
    [Fact]
    public void Restore_lines_name_the_item_and_count_tables_and_errors_are_never_consumed()
    {
        var reports = new List<BackupProgress>();
        using var progress = PgVerboseProgress.ForRestore(new Collect(reports))!;

        Assert.True(progress.OnErrorLine("pg_restore: connecting to database for restore"));
        Assert.True(progress.OnErrorLine("pg_restore: creating TABLE \"public.Orders\""));
        Assert.True(progress.OnErrorLine("pg_restore: processing data for table \"public.Orders\""));
        Assert.True(progress.OnErrorLine("pg_restore: processing data for table \"public.Members\""));
        Assert.True(progress.OnErrorLine("pg_restore: creating INDEX \"public.IX_Orders_CustomerId\""));
        Assert.False(progress.OnErrorLine("pg_restore: error: could not execute query: ERROR:  relation \"Orders\" already exists"));
        Assert.False(progress.OnErrorLine("pg_restore: warning: errors ignored on restore: 1"));
        Assert.False(progress.OnErrorLine("pg_restore: detail: Command was: CREATE TABLE"));
        Assert.False(progress.OnErrorLine("some other line"));

        Assert.Equal(
        [
            ("TABLE public.Orders", 0),
            ("table public.Orders", 0),
            ("table public.Members", 1),
            ("INDEX public.IX_Orders_CustomerId", 2),
        ], reports.Select(r => (r.Current, r.TablesDone)));
        Assert.All(reports, r => Assert.Equal(BackupPhase.Restoring, r.Phase));
        Assert.Equal(2, progress.TablesDone);
    }

    [Fact]
    public void Dump_lines_report_the_archive_size_and_the_table()
    {
        var archive = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(archive, new byte[1234]);
            var reports = new List<BackupProgress>();
            using var progress = PgVerboseProgress.ForDump(new Collect(reports), archive)!;

            Assert.True(progress.OnErrorLine("pg_dump: dumping contents of table \"public.Bulk1\""));
            Assert.False(progress.OnErrorLine("pg_dump: error: query failed: ERROR:  canceling statement due to lock timeout"));

            BackupProgress report;
            lock (reports)
            {
                report = reports.First(r => r.Current is not null);
            }

            Assert.Equal(new BackupProgress(BackupPhase.Dumping, 1234, "table public.Bulk1", 0), report);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private sealed class Collect(List<BackupProgress> reports) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
