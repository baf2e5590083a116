namespace EfSafeMigrate.Squashing;

/// <summary>Why a squash was refused: what the user asked for is wrong, or the range cannot be squashed safely.</summary>
public enum SquashRefusalKind
{
    /// <summary>The request is wrong (unknown or misordered migrations, a range of one, a bad name, a missing library reference): exit code 2.</summary>
    Usage,

    /// <summary>The range cannot be replaced safely (custom SQL that would run against another schema, a hand-written operation the models do not record, pending model changes): exit code 1.</summary>
    Unsafe,

    /// <summary>
    /// A migration of the range has schema operations that EF Core's model differ does not produce between its
    /// parent's target model and its own (written by hand, or its designer was generated on another branch), or the
    /// differ over the whole range drops what no migration drops, so a squash computed from the models would not do
    /// what the migrations do. The range can still be squashed from
    /// the migrations' own operations (<c>MigrationSquasher.PlanFromOperations</c> in EfSafeMigrate.Design), once proven; exit code 1
    /// when it is not.
    /// </summary>
    NotFromModels,
}
