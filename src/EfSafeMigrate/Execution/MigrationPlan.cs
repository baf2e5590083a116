namespace EfSafeMigrate.Execution;

/// <summary>
/// The ordered steps that take a database from the migrations recorded in its history table to
/// a target migration. Reverts come first (newest first), then applies (oldest first), the order
/// EF Core's migrator uses.
/// </summary>
/// <param name="TargetMigration">The target migration id, or <c>0</c> (<see cref="Microsoft.EntityFrameworkCore.Migrations.Migration.InitialDatabase"/>) for "no migration".</param>
/// <param name="Steps">Steps in execution order.</param>
internal sealed record MigrationPlan(string TargetMigration, IReadOnlyList<MigrationStep> Steps)
{
    /// <summary>True when the database is already at the target.</summary>
    public bool IsEmpty => Steps.Count == 0;
}
