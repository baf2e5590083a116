namespace EfSafeMigrate.Squashing;

/// <summary>
/// A migration was named (as a target, or as the start of a script) that the squash rules hide for
/// this database: a migration replaced by a squashed migration that applies to it, or a squashed
/// migration that does not apply to it because the database is inside (or at the end of) its range.
/// Going to it is not possible as named; the message names the migration to use instead.
/// </summary>
public sealed class SquashedAwayMigrationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migrationId">The migration that was named.</param>
    /// <param name="squash">The squashed migration involved: the one replacing <paramref name="migrationId"/>, or <paramref name="migrationId"/> itself.</param>
    public SquashedAwayMigrationException(string migrationId, SquashedMigration squash)
        : base(BuildMessage(migrationId, squash))
    {
        MigrationId = migrationId;
        SquashedMigrationId = squash.Id;
    }

    /// <summary>The migration that was named.</summary>
    public string MigrationId { get; }

    /// <summary>The squashed migration involved.</summary>
    public string SquashedMigrationId { get; }

    private static string BuildMessage(string migrationId, SquashedMigration squash)
        => string.Equals(migrationId, squash.Id, StringComparison.OrdinalIgnoreCase)
            ? $"The squashed migration '{squash.Id}' does not apply to this database: the database has applied some of the migrations it replaces " +
              $"({squash.DescribeRange()}), so it goes on with those. Name '{squash.LastReplacedId}' (the end of the range) instead, or a migration outside the range."
            : $"The migration '{migrationId}' is replaced by the squashed migration '{squash.Id}', which applies to this database (it is applied, or none of " +
              $"{squash.DescribeRange()} is), so '{migrationId}' cannot be reached on its own. Name '{squash.Id}' instead, or a migration outside the range " +
              $"({squash.DescribeRange()}).";
}
