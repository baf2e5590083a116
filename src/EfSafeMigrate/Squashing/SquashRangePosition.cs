namespace EfSafeMigrate.Squashing;

/// <summary>Where a database stands relative to the range of a squashed migration.</summary>
public enum SquashRangePosition
{
    /// <summary>None of the replaced migrations is applied: the database will run the squashed migration.</summary>
    Before,

    /// <summary>Every replaced migration is applied: the squashed migration counts as applied (a synthetic history row).</summary>
    After,

    /// <summary>The squashed migration itself has a history row.</summary>
    SquashApplied,

    /// <summary>Some, not all, of the replaced migrations are applied: without them in the code the database cannot be brought forward.</summary>
    Inside,
}
