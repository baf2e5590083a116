namespace EfSafeMigrate.Backups;

/// <summary>
/// A backup could not be written, verified or restored. The message says what failed, where
/// (file, database) and what to do; it never contains a password or a connection string.
/// When thrown before an apply, nothing in the database was changed.
/// </summary>
internal sealed class BackupException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public BackupException(string message, Exception? inner = null) : base(message, inner) { }
}
