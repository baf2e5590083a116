namespace EfSafeMigrate.Integrity;

/// <summary>How bad a finding is: errors make <c>check</c> exit 1, warnings do not.</summary>
internal enum FindingSeverity
{
    /// <summary>A problem: <c>check</c> exits 1.</summary>
    Error,

    /// <summary>Worth knowing (e.g. pending migrations); <c>check</c> still exits 0.</summary>
    Warning,
}

/// <summary>One problem found by <c>check</c>.</summary>
/// <param name="Code">Stable code (<see cref="FindingCodes"/>), e.g. <c>SM104</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong, naming the migration(s).</param>
/// <param name="Migrations">The migration ids concerned, oldest first.</param>
/// <param name="File">The file concerned (repository-relative, <c>/</c>-separated), when there is one.</param>
/// <param name="Line">1-based line in <paramref name="File"/>, when known.</param>
/// <param name="Fix">The command or action that fixes it.</param>
internal sealed record Finding(string Code, FindingSeverity Severity, string Message, IReadOnlyList<string> Migrations, string? File, int? Line, string Fix)
{
    /// <summary><c>file:line</c>, <c>file</c>, or empty.</summary>
    public string Location => File is null ? string.Empty : Line is null ? File : $"{File}:{Line}";
}
