namespace EfSafeMigrate.Squashing;

/// <summary>
/// A squash was refused before anything was written. The message says what is wrong, where (the
/// migration and the operation) and how to fix it.
/// </summary>
public sealed class SquashRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Whether the request or the range is at fault.</param>
    /// <param name="message">A complete, user-facing message: what, where, fix.</param>
    public SquashRefusedException(SquashRefusalKind kind, string message) : base(message) => Kind = kind;

    /// <summary>Whether the request or the range is at fault.</summary>
    public SquashRefusalKind Kind { get; }
}
