namespace EfSafeMigrate.Backups;

/// <summary>What a backup provider is doing.</summary>
internal enum BackupPhase
{
    /// <summary>Writing the archive (PostgreSQL: <c>pg_dump</c>).</summary>
    Dumping,

    /// <summary>Reading the archive back whole and hashing it.</summary>
    Verifying,

    /// <summary>Restoring an archive into a database (PostgreSQL: <c>pg_restore</c>).</summary>
    Restoring,
}

/// <summary>
/// A progress report of a backup provider (<see cref="IBackupProvider.Progress"/>): sent when the dump or restore program names
/// the object it works on (PostgreSQL: the <c>--verbose</c> lines of <c>pg_dump</c> and <c>pg_restore</c>) and, while dumping,
/// about four times a second with the archive's size so far.
/// </summary>
/// <param name="Phase">What is being done.</param>
/// <param name="Bytes">Bytes of the archive written so far (<see cref="BackupPhase.Dumping"/>); 0 in the other phases.</param>
/// <param name="Current">What the program works on now, as it names it (<c>table public.Orders</c>, <c>INDEX IX_Orders_CustomerId</c>); null before it names anything.</param>
/// <param name="TablesDone">Tables whose data was dumped or restored so far.</param>
internal sealed record BackupProgress(BackupPhase Phase, long Bytes, string? Current, int TablesDone);
