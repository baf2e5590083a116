namespace EfSafeMigrate.Backups;

/// <summary>
/// A restore over a database was asked with a backup of another database (the sidecar's <c>database</c> differs from the
/// target's name): restoring it would replace the target's tables with the other database's. Nothing was changed.
/// </summary>
internal sealed class BackupOfOtherDatabaseException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public BackupOfOtherDatabaseException(string message) : base(message) { }

    /// <summary>
    /// Throws when <paramref name="backup"/> was taken of another database than <paramref name="targetDatabase"/>, unless
    /// <paramref name="allowOtherDatabase"/> (<c>--from-other-database</c>). Names compare exactly (PostgreSQL names are case-sensitive).
    /// </summary>
    /// <exception cref="BackupOfOtherDatabaseException">The names differ and it is not allowed.</exception>
    public static void ThrowIfOther(BackupEntry backup, string targetDatabase, bool allowOtherDatabase)
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (allowOtherDatabase || string.Equals(backup.Manifest.Database, targetDatabase, StringComparison.Ordinal))
        {
            return;
        }
        throw new BackupOfOtherDatabaseException(
            $"The backup '{backup.Path}' is of database \"{backup.Manifest.Database}\", not of \"{targetDatabase}\": restoring it would replace " +
            $"every table of \"{targetDatabase}\" with those of \"{backup.Manifest.Database}\". Nothing was changed. " +
            $"If that is what you want, add --from-other-database; to get a copy of \"{backup.Manifest.Database}\" beside it instead, use " +
            "'dotnet safe-migrate backup restore FILE --into NEW_DATABASE'.");
    }
}
