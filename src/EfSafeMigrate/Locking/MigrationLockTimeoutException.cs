namespace EfSafeMigrate.Locking;

/// <summary>Another migration run held the database's migration lock for longer than the timeout. Nothing was changed.</summary>
internal sealed class MigrationLockTimeoutException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public MigrationLockTimeoutException(string message) : base(message) { }
}
