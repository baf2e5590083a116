using EfSafeMigrate.Consistency;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using static EfSafeMigrate.IntegrationTests.Journal.JournalTestMigrations;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary>SM402 from <see cref="DatabaseConsistencyChecker"/> with the journal, on real PostgreSQL.</summary>
public sealed class EditedAfterApplyTests : IAsyncLifetime
{
    private static readonly string Original = JournalRuns.Checksum('a');
    private static readonly string Edited = JournalRuns.Checksum('e');
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(EditedAfterApplyTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_applied_migration_edited_since_is_SM402_naming_it_when_and_by_whom()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        await JournalRuns.RunAsync(context, null, _ => Original);
        var applied = JournalRuns.Reader(context).ReadLatest()[CreateNotes].StartedUtc;

        var findings = Check(context, new() { [CreateNotes] = Edited, [AddNoteTitle] = Original });

        var finding = Assert.Single(findings);
        Assert.Equal((FindingCodes.EditedAfterApply, FindingSeverity.Error), (finding.Code, finding.Severity));
        Assert.Equal([CreateNotes], finding.Migrations);
        Assert.Contains($"Migration '{CreateNotes}' was edited after it was applied", finding.Message);
        Assert.Contains($"applied on {applied:yyyy-MM-dd HH:mm:ss} UTC by {Environment.UserName} on {Environment.MachineName}", finding.Message);
        Assert.Contains($"checksum {Original[..12]}", finding.Message);
        Assert.Contains($"now hash to {Edited[..12]}", finding.Message);
        Assert.Contains("dotnet safe-migrate add <Name>", finding.Fix);
        Assert.Contains($"git log --oneline -- '*{CreateNotes}*'", finding.Fix);

        // The statement the fix gives accepts the edit: no SM402 afterwards, and the original row stays.
        var statement = finding.Fix[finding.Fix.IndexOf("INSERT INTO", StringComparison.Ordinal)..];
        await _database.ExecuteAsync(statement);
        Assert.Empty(Check(context, new() { [CreateNotes] = Edited, [AddNoteTitle] = Original }));
        Assert.Equal(["apply", "repair"], JournalRuns.Reader(context).ReadAll().Where(r => r.MigrationId == CreateNotes).Select(r => r.Action));
    }

    [Fact]
    public async Task Unchanged_files_and_fake_applied_migrations_are_compared_too()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        await JournalRuns.RunAsync(context, null, _ => Original, adjustPlan: plan => plan with { Steps = plan.Steps.Select(s => s.AsFake()).ToList() });

        Assert.Empty(Check(context, new() { [CreateNotes] = Original, [AddNoteTitle] = Original }));
        var finding = Assert.Single(Check(context, new() { [CreateNotes] = Original, [AddNoteTitle] = Edited }));
        Assert.Equal([AddNoteTitle], finding.Migrations);
        Assert.Contains("recorded as applied without running (fake-apply)", finding.Message);
    }

    [Fact]
    public async Task Without_a_journal_table_there_is_no_SM402_and_no_error()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        await context.Database.MigrateAsync(); // EF Core alone: no journal

        var findings = Check(context, new() { [CreateNotes] = Edited, [AddNoteTitle] = Edited });

        Assert.Empty(findings);
        Assert.False(JournalRuns.Reader(context).Exists());
    }

    [Fact]
    public async Task No_checksum_known_means_no_finding()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        await JournalRuns.RunAsync(context, CreateNotes, checksum: null);              // row without checksum
        await JournalRuns.RunAsync(context, AddNoteTitle, _ => Original);
        await JournalRuns.RunAsync(context, CreateNotes, _ => Original);               // reverts AddNoteTitle: latest row is a revert
        await context.Database.MigrateAsync();                                         // applied again by EF Core alone: no row

        Assert.Empty(Check(context, new() { [CreateNotes] = Edited, [AddNoteTitle] = Edited }));
        Assert.Empty(Check(context, new() { [AddNoteTitle] = Edited })); // files of CreateNotes not found
    }

    private static IReadOnlyList<Finding> Check(DbContext context, Dictionary<string, string> sourceHashes)
        => new DatabaseConsistencyChecker(new SafeMigrator(context), sourceHashes, JournalRuns.Reader(context)).Check()
            .Where(f => f.Code != FindingCodes.PendingMigrations).ToList();
}
