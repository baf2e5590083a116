namespace EfSafeMigrate.Squashing;

/// <summary>
/// An idempotent script would contain a squashed migration, but there is no
/// <see cref="ISquashScriptGuards"/> for the provider: with only EF Core's guard (its own history row),
/// the script would run the squashed migration again on a database that got the migrations it replaces
/// one by one. Nothing was generated.
/// </summary>
public sealed class SquashScriptGuardsUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="squash">The squashed migration the script would contain.</param>
    /// <param name="historyRepositoryType">The provider's history repository type, which has no known guards.</param>
    public SquashScriptGuardsUnavailableException(SquashedMigration squash, Type historyRepositoryType)
        : base(BuildMessage(squash, historyRepositoryType))
    {
        SquashedMigrationId = squash.Id;
        HistoryRepositoryType = historyRepositoryType;
    }

    /// <summary>The squashed migration the script would contain.</summary>
    public string SquashedMigrationId { get; }

    /// <summary>The provider's history repository type.</summary>
    public Type HistoryRepositoryType { get; }

    private static string BuildMessage(SquashedMigration squash, Type repository)
        => $"An idempotent script cannot contain the squashed migration '{squash.Id}' here: its guard must also look at the history rows of the migrations " +
           $"it replaces ({squash.DescribeRange()}), which a database that got them one by one has instead of its own, and there are no such guards for " +
           $"the history repository {repository.FullName}. Nothing was generated. For PostgreSQL, add a reference to the EfSafeMigrate.Npgsql package to " +
           "the application (its guards are then found automatically), or generate the script with 'dotnet safe-migrate script --idempotent'; for another " +
           "provider, generate a non-idempotent script from the database's current migration instead ('dotnet safe-migrate script FROM').";
}
