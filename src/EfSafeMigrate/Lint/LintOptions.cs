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

    /// <summary>
    /// Everything in these options that can change what the lint reports for a migration, as text: each rule (code, type and
    /// the identity of its assembly, whose module version id changes with its code), its default severity, the severity
    /// overrides (sorted by code) and the thresholds. Part of the key of a cached lint verdict
    /// (<see cref="Execution.Compiled.LintVerdicts"/>): other settings or another build of a rule give another key.
    /// </summary>
    public string Fingerprint()
    {
        var text = new System.Text.StringBuilder();
        foreach (var rule in Rules.Rules.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            var type = rule.GetType();
            text.Append("rule ").Append(rule.Code).Append(' ').Append(rule.DefaultSeverity).Append(' ').Append(type.FullName)
                .Append(' ').Append(type.Assembly.FullName).Append(' ').Append(type.Assembly.ManifestModule.ModuleVersionId.ToString("N")).Append('\n');
        }

        foreach (var (code, severity) in SeverityOverrides.OrderBy(o => o.Key.ToUpperInvariant(), StringComparer.Ordinal))
        {
            text.Append("severity ").Append(code.ToUpperInvariant()).Append('=').Append(severity).Append('\n');
        }

        return text.Append(System.FormattableString.Invariant($"small table: {SmallTableRows} rows, {SmallTableBytes} bytes; violations counted up to {ViolationCountLimit}\n")).ToString();
    }
}
