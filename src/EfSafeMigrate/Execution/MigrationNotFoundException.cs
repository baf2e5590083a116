namespace EfSafeMigrate.Execution;

/// <summary>A migration id or name given by the user matches no migration of the project.</summary>
internal sealed class MigrationNotFoundException : Exception
{
    /// <summary>Creates the exception for the id or name that was not found.</summary>
    public MigrationNotFoundException(string nameOrId)
        : base($"The migration '{nameOrId}' was not found in the project's migrations. Run 'dotnet safe-migrate status' to list them.")
        => NameOrId = nameOrId;

    /// <summary>The id or name that was not found.</summary>
    public string NameOrId { get; }
}
