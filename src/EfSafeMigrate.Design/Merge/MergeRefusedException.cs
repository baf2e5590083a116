namespace EfSafeMigrate.Design.Merge;

/// <summary>Why a merge migration cannot be written; the tool maps it to an exit code.</summary>
internal enum MergeRefusal
{
    /// <summary>The migrations cannot be merged as they are (shared objects, changes beyond the two branches); exit code 1.</summary>
    Conflict,

    /// <summary>The request or the migration graph is outside what merge handles (more than two heads, no single common ancestor, a taken name); exit code 2.</summary>
    Unsupported,
}

/// <summary>
/// A merge migration was not written, for the reason in the message, which names the migrations
/// involved and the way out. Nothing was changed when it is thrown.
/// </summary>
internal sealed class MergeRefusedException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public MergeRefusedException(MergeRefusal refusal, string message) : base(message) => Refusal = refusal;

    /// <summary>The kind of refusal.</summary>
    public MergeRefusal Refusal { get; }
}
