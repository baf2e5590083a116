namespace EfSafeMigrate.Lint;

/// <summary>How a lint run decides severities.</summary>
internal sealed record LintOptions
{
    /// <summary>Default of <see cref="SmallTableRows"/>: 10,000 rows.</summary>
    public const long DefaultSmallTableRows = 10_000;

    /// <summary>Default of <see cref="SmallTableBytes"/>: 10 MB (10 × 1024 × 1024 bytes).</summary>
    public const long DefaultSmallTableBytes = 10L * 1024 * 1024;

    /// <summary>
    /// A table with fewer rows than this (and fewer bytes than <see cref="SmallTableBytes"/>) is small:
    /// size-dependent findings on it drop to <see cref="LintSeverity.Info"/>.
    /// </summary>
    public long SmallTableRows { get; init; } = DefaultSmallTableRows;

    /// <summary>Bytes (table, indexes and TOAST) under which a table is small; see <see cref="SmallTableRows"/>.</summary>
    public long SmallTableBytes { get; init; } = DefaultSmallTableBytes;

    /// <summary>Narrowing checks count failing rows up to this many (the query stops there).</summary>
    public long ViolationCountLimit { get; init; } = 1_000;

    /// <summary>Severity per code, replacing the rule's default (configuration, <c>--severity SM512=warning</c>).</summary>
    public IReadOnlyDictionary<string, LintSeverity> SeverityOverrides { get; init; } = new Dictionary<string, LintSeverity>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rules; default: <see cref="LintRuleRegistry.CreateDefault"/>.</summary>
    public LintRuleRegistry Rules { get; init; } = LintRuleRegistry.CreateDefault();
}
