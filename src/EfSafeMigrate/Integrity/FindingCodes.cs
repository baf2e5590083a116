namespace EfSafeMigrate.Integrity;

/// <summary>
/// Stable finding codes of <c>check</c> (never reused): SM1xx from files alone, SM2xx against
/// another git ref, SM3xx from the built model, SM4xx against a database.
/// </summary>
internal static class FindingCodes
{
    /// <summary>Migrations exist but the folder has no safe-migrate.sum.</summary>
    public const string SumFileMissing = "SM100";
    /// <summary>A migration is not in safe-migrate.sum (added without updating it).</summary>
    public const string MigrationNotRecorded = "SM101";
    /// <summary>A migration's files changed since safe-migrate.sum was written.</summary>
    public const string MigrationEdited = "SM102";
    /// <summary>safe-migrate.sum lists a migration whose files are gone.</summary>
    public const string MigrationRemoved = "SM103";
    /// <summary>Two migrations follow the same parent.</summary>
    public const string Fork = "SM104";
    /// <summary>A context has more than one head.</summary>
    public const string MultipleHeads = "SM105";
    /// <summary>The head line does not name the newest migration.</summary>
    public const string WrongHeadLine = "SM106";
    /// <summary>Two migrations have the same id.</summary>
    public const string DuplicateId = "SM107";
    /// <summary>The model snapshot holds git conflict markers.</summary>
    public const string SnapshotConflict = "SM108";
    /// <summary>A migration class has no [Migration] attribute; EF Core will never discover it.</summary>
    public const string MissingMigrationAttribute = "SM109";
    /// <summary>safe-migrate.sum cannot be read.</summary>
    public const string SumFileMalformed = "SM110";
    /// <summary>safe-migrate.sum holds git conflict markers.</summary>
    public const string SumFileConflict = "SM111";
    /// <summary>Both this branch and the other ref added migrations since their merge base.</summary>
    public const string ForkAtMerge = "SM201";
    /// <summary>A migration of this branch sorts before the newest migration of the other ref.</summary>
    public const string OutOfOrder = "SM202";
    /// <summary>This branch and the other ref each added a migration since their merge base that touches the same table or column (read from the files' syntax).</summary>
    public const string SharedObjectAtMerge = "SM203";
    /// <summary>The code model differs from the model snapshot.</summary>
    public const string PendingModelChanges = "SM301";
    /// <summary>The model snapshot differs from the newest migration's target model.</summary>
    public const string StaleSnapshot = "SM302";
    /// <summary>A migration's operations are not the difference between its parent's target model and its own.</summary>
    public const string OperationsDoNotMatchModels = "SM303";
    /// <summary>A squashed migration does not give the schema the migrations it replaces give (proven on scratch databases).</summary>
    public const string SquashChangesSchema = "SM304";
    /// <summary>A squashed migration could not be proven equivalent to the migrations it replaces (no scratch databases).</summary>
    public const string SquashNotProven = "SM305";
    /// <summary>The database has applied a migration the code does not have.</summary>
    public const string AppliedMigrationMissing = "SM401";
    /// <summary>An applied migration was edited after it was applied.</summary>
    public const string EditedAfterApply = "SM402";
    /// <summary>The database has pending migrations.</summary>
    public const string PendingMigrations = "SM403";
    /// <summary>The live schema differs from the schema the applied migrations give (<c>check --schema</c>, <c>verify</c>).</summary>
    public const string SchemaDrift = "SM404";
    /// <summary>An object EF Core does not model (view, function, trigger) differs from what the applied migrations create; not drift.</summary>
    public const string UnmodeledObjectDiffers = "SM405";
}
