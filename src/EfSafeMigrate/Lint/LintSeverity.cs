namespace EfSafeMigrate.Lint;

/// <summary>How bad a lint finding is. <c>apply</c> refuses on errors, prints warnings, and lists infos only with <c>--verbose</c>.</summary>
internal enum LintSeverity
{
    /// <summary>Refuses <c>apply</c>/<c>rollback</c> (unless <c>--allow-unsafe</c>) and fails <c>lint</c> and <c>check --build</c> (exit 1).</summary>
    Error,

    /// <summary>Printed; never refuses.</summary>
    Warning,

    /// <summary>Known and harmless here (e.g. the table is small); shown for the record.</summary>
    Info,
}
