#pragma warning disable EF1001 // MigrationsOperations is EF Core Design's, the one dotnet ef uses.
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>add NAME</c>: scaffolds a migration exactly as <c>dotnet ef migrations add</c> does (EF Core
/// Design writes the migration, designer and snapshot files), then records it in the folder's
/// <c>safe-migrate.sum</c>, following the previous head. Refuses (exit 1), before writing anything,
/// when the integrity file already disagrees with the migrations in a way rewriting it would hide
/// (<see cref="IntegrityGate"/>).
/// </summary>
internal static class AddOperations
{
    /// <summary>Adds the migration and records it; reports the files written.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextName">The <c>--context</c> option, or null.</param>
    /// <param name="name">The migration's name, e.g. <c>AddProductColour</c>.</param>
    /// <param name="outputDir">The <c>--output-dir</c> option, or null.</param>
    /// <param name="namespace">The <c>--namespace</c> option, or null (then derived from the folder).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">EF Core refused (exit code 2).</exception>
    public static int Add(ProjectSession session, string? contextName, string name, string? outputDir, string? @namespace)
    {
        var reporter = session.Reporter;
        var files = MigrationFiles.For(session.ProjectDir);
        if (IntegrityGate.RefuseOnIntegrityErrors(files, contextName, reporter, $"Not adding migration '{name}'", tolerated: null) is { } refused)
        {
            return refused;
        }

        var written = AddMigration(session.Design, name, outputDir, contextName, @namespace);

        // An --output-dir outside the project folder gets its integrity file there.
        var migrationFolder = Path.GetDirectoryName(written.MigrationFile!)!;
        var inProject = !Path.GetRelativePath(session.ProjectDir, migrationFolder).StartsWith("..", StringComparison.Ordinal);
        var sumFiles = inProject ? files : MigrationFiles.For(migrationFolder);
        new SumFiles(sumFiles, reporter).WriteAll();
        WarnIfApartFromItsChain(sumFiles, Path.GetFileNameWithoutExtension(written.MigrationFile!), reporter);

        if (reporter.Json)
        {
            reporter.JsonDocument(new MigrationFilesResult(written.MigrationFile, written.MetadataFile, written.SnapshotFile));
        }
        else
        {
            reporter.Info("Done. To undo this action, use 'dotnet safe-migrate remove'");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Scaffolds a migration for the pending model changes and writes its three files, exactly as
    /// <c>dotnet ef migrations add</c> (<see cref="MigrationsOperations.AddMigration"/>): in
    /// <paramref name="outputDir"/> (relative to the project folder), else beside the previous
    /// migration, else <c>Migrations</c>; the snapshot is rewritten in place.
    /// </summary>
    /// <param name="design">The project's design host.</param>
    /// <param name="name">The migration's name.</param>
    /// <param name="outputDir">The <c>--output-dir</c> option, or null.</param>
    /// <param name="contextType">The <c>--context</c> option, or null.</param>
    /// <param name="namespace">The <c>--namespace</c> option, or null.</param>
    /// <returns>The full paths of the migration, designer and snapshot files written.</returns>
    /// <exception cref="CommandException">EF Core refused (invalid or taken name, name equal to the context's, several contexts without --context, non-relational provider, migrations assembly mismatch; exit code 2).</exception>
    private static Microsoft.EntityFrameworkCore.Migrations.Design.MigrationFiles AddMigration(DesignHost design, string name, string? outputDir, string? contextType, string? @namespace)
    {
        try
        {
            return design.CreateMigrationsOperations().AddMigration(name, outputDir, contextType, @namespace, dryRun: false);
        }
        catch (OperationException ex)
        {
            throw new CommandException(ExitCodes.UsageError, $"Cannot add migration '{name}' to '{design.Project.Project}': {ex.Message}", ex);
        }
    }

    // safe-migrate.sum is per folder: a migration put in another folder than its context's other
    // migrations (--output-dir) starts a chain of its own there, with no parent.
    private static void WarnIfApartFromItsChain(MigrationFiles files, string migrationId, Reporter reporter)
    {
        var folders = MigrationFolder.From(files.FromWorkingTree());
        var added = folders.SelectMany(f => f.Migrations).FirstOrDefault(m => m.Id == migrationId);
        if (added is null)
        {
            return;
        }

        var others = folders.Where(f => f.Folder != added.Folder && f.Migrations.Any(m => m.Context == added.Context)).Select(f => f.Folder).ToList();
        if (others.Count > 0)
        {
            reporter.Warning($"'{migrationId}' is in {added.Folder}, apart from the other migrations of {added.Context ?? "its DbContext"} ({string.Join(", ", others)}). " +
                $"{SumFile.FileName} is kept per folder, so it starts a new chain there with no parent, and 'check' cannot see forks across the folders. " +
                "To keep one chain: dotnet safe-migrate remove, then add it again without --output-dir.");
        }
    }
}
