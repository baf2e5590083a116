namespace EfSafeMigrate.Execution.Internal;

/// <summary>What a plan step does to one migration.</summary>
public enum MigrationAction
{
    /// <summary>Run the migration's <c>Up</c> and insert its history row.</summary>
    Apply,

    /// <summary>Run the migration's <c>Down</c> and delete its history row.</summary>
    Revert,

    /// <summary>Insert the history row without running <c>Up</c> (Django's <c>--fake</c>).</summary>
    FakeApply,

    /// <summary>Delete the history row without running <c>Down</c>.</summary>
    FakeRevert,
}
