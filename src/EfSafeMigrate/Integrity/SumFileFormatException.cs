namespace EfSafeMigrate.Integrity;

/// <summary>A <c>safe-migrate.sum</c> file could not be read.</summary>
internal sealed class SumFileFormatException : Exception
{
    /// <summary>Creates the exception for a line and the reason.</summary>
    public SumFileFormatException(int line, string reason, bool conflict = false)
        : base($"line {line}: {reason}")
    {
        Line = line;
        Reason = reason;
        IsConflict = conflict;
    }

    /// <summary>The 1-based line.</summary>
    public int Line { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }

    /// <summary>True when the file holds git conflict markers.</summary>
    public bool IsConflict { get; }
}
