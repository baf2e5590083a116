namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// The stored form of one compiled step (one file of <see cref="CompiledMigrationCache"/>): what the key was made of, for
/// people reading the file, and the commands in EF Core's order. The history row's command is not stored: EF Core's migrator
/// adds it itself when the step runs, so the row is always EF Core's.
/// </summary>
/// <param name="Format">The file format's version (<see cref="CompiledMigrationCache.FormatVersion"/>).</param>
/// <param name="Key">The key the file is named after (SHA-256 hex of <see cref="CompiledStepKeys"/>'s material).</param>
/// <param name="MigrationId">The migration.</param>
/// <param name="Direction"><c>up</c> or <c>down</c>.</param>
/// <param name="Commands">The generator's commands, in order.</param>
internal sealed record CompiledStepEntry(int Format, string Key, string MigrationId, string Direction, IReadOnlyList<CompiledCommand> Commands);
