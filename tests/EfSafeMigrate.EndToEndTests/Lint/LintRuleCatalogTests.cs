using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Lint;

/// <summary>
/// Every lint rule end to end: the packed tool's <c>lint --json</c> (no database, so every finding keeps its rule's
/// default severity) on tests/Fixtures/LintRuleCatalog, which has one migration per rule with the rule's unsafe form
/// (<c>&lt;id&gt;_SM5xx_&lt;what&gt;</c>) and migrations with the safe forms (<c>..._Safe_...</c>). Then, after
/// <c>apply Initial</c>, <c>lint --json --database</c> against the real, empty tables. Both runs happen once for the
/// whole class; each case checks one migration's findings.
/// </summary>
public class LintRuleCatalogTests(ITestOutputHelper output)
{
    private static readonly Lazy<CatalogLint> Lint = new(CatalogLint.Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Unsafe migration (name after the id's timestamp), the rule it is written for, how many findings of that rule it
    /// gives (one per unsafe operation or SQL statement), other codes it also fires (by design; none so far).
    /// </summary>
    public static TheoryData<string, string, int, string[]> UnsafeMigrations => new()
    {
        { "SM501_IndexWithoutConcurrently", "SM501", 1, [] },
        { "SM502_DropIndex", "SM502", 1, [] },
        { "SM503_ForeignKey", "SM503", 1, [] },
        { "SM504_CheckConstraint", "SM504", 1, [] },
        { "SM505_SetNotNull", "SM505", 1, [] },
        { "SM506_UniqueConstraint", "SM506", 2, [] },
        { "SM507_ColumnTypeRewrite", "SM507", 1, [] },
        { "SM508_VolatileDefault", "SM508", 1, [] },
        { "SM508_IdentityColumn", "SM508", 1, [] },
        { "SM508_SerialColumn", "SM508", 1, [] }, // not SM509: the sequence fills the existing rows
        { "SM508_StoredGenerated", "SM508", 1, [] },
        { "SM509_RequiredWithoutDefault", "SM509", 1, [] },
        { "SM510_RenameColumn", "SM510", 1, [] },
        { "SM511_RenameTable", "SM511", 1, [] },
        { "SM512_DropColumn", "SM512", 1, [] },
        { "SM513_DropTable", "SM513", 1, [] },
        { "SM514_Narrowing", "SM514", 1, [] },
        { "SM514_NumericPrecision", "SM514", 1, [] },
        { "SM515_UnboundedUpdate", "SM515", 2, [] },
        { "SM516_LockingMaintenance", "SM516", 3, [] },
        { "SM516_ReindexAndCluster", "SM516", 2, [] },
        { "SM517_LockingDdlInSql", "SM517", 4, [] },
        { "SM517_ConcurrentlyInTransaction", "SM517", 1, [] },
        { "SM517_UniqueDropIndexVolatileColumnInSql", "SM517", 3, [] },
        { "SM518_BackfillWithDdl", "SM518", 1, [] },
        { "SM518_UpdateDataWithDdl", "SM518", 1, [] },
        { "SM519_UnclassifiedSql", "SM519", 1, [] },
        { "SM520_ConcurrentIndexNotAlone", "SM520", 1, [] },
        { "SM520_ConcurrentSqlNotAlone", "SM520", 1, [] },
        { "SM521_EmptyDown", "SM521", 1, [] },
        { "SM521_ThrowingDown", "SM521", 1, [] },
        { "SM521_InvalidOperationDown", "SM521", 1, [] },
        { "SM522_DownDoesNotUndoUp", "SM522", 1, [] },
    };

    /// <summary>Safe migration and the rules whose safe form it holds (none of them, nor any other rule, may fire).</summary>
    public static TheoryData<string, string[]> SafeMigrations => new()
    {
        { "Initial", ["SM501", "SM503", "SM506", "SM509", "SM521", "SM522"] },
        { "SM501_Safe_IndexConcurrently", ["SM501", "SM520"] },
        { "SM502_Safe_DropIndexConcurrently", ["SM502", "SM517", "SM520"] },
        { "SM503_Safe_ForeignKeyNotValid", ["SM503", "SM517", "SM519"] },
        { "SM504_Safe_CheckNotValid", ["SM504", "SM517"] },
        { "SM505_Safe_DropNotNull", ["SM505", "SM507", "SM514"] },
        { "SM506_Safe_UniqueUsingIndex", ["SM506", "SM517"] },
        { "SM507_Safe_WideningTypes", ["SM507", "SM514"] },
        { "SM508_Safe_StableDefault", ["SM508", "SM509"] },
        { "SM509_Safe_ConstantDefaultOrNullable", ["SM509", "SM508"] },
        { "SM515_Safe_BoundedBackfill", ["SM515", "SM518"] },
        { "SM516_Safe_ReindexConcurrently", ["SM516", "SM519"] },
        { "SM517_Safe_IndexConcurrentlySql", ["SM517", "SM520"] },
        { "SM519_Safe_ClassifiedSql", ["SM519"] },
        { "Safe_NewTable", ["SM501", "SM503", "SM504", "SM506", "SM509", "SM520", "SM521", "SM522"] },
    };

    [Theory]
    [MemberData(nameof(UnsafeMigrations))]
    public void The_unsafe_form_fires_its_rule_with_the_default_severity_and_nothing_else(string migration, string code, int count, string[] alsoFires)
    {
        var lint = Lint.Value;
        output.WriteLine(lint.Log);
        var findings = lint.Of(migration);

        Assert.True(findings.Any(f => f.Code == code), $"{code} did not fire on {migration}; its findings: {Describe(findings)}");
        Assert.True(findings.Count(f => f.Code == code) == count, $"{code} should fire {count} time(s) on {migration}; its findings: {Describe(findings)}");
        Assert.Equal([code, .. alsoFires], findings.Select(f => f.Code).Distinct().Order(StringComparer.Ordinal));
        Assert.All(findings.Where(f => f.Code == code), f => Assert.Equal(lint.DefaultSeverities[code], f.Severity));
        Assert.All(findings.Where(f => f.Code == code), f => Assert.EndsWith("_" + migration + ".cs", f.File));
    }

    [Theory]
    [MemberData(nameof(SafeMigrations))]
    public void The_safe_form_fires_none_of_its_rules(string migration, string[] codes)
    {
        var lint = Lint.Value;
        output.WriteLine(lint.Log);
        var findings = lint.Of(migration);

        foreach (var code in codes)
        {
            Assert.True(findings.All(f => f.Code != code), $"{code} fired on the safe {migration}: {Describe(findings)}");
        }

        Assert.True(findings.Count == 0, $"{migration} is safe but lint found: {Describe(findings)}");
    }

    [Fact]
    public void Every_rule_has_an_unsafe_migration_and_lint_covers_every_migration_of_the_catalog()
    {
        var lint = Lint.Value;
        output.WriteLine(lint.Log);

        Assert.Equal(lint.DefaultSeverities.Keys.Order(StringComparer.Ordinal),
            UnsafeMigrations.Select(row => (string)row[1]).Distinct().Order(StringComparer.Ordinal));
        Assert.True(lint.DefaultSeverities.Count >= 22, string.Join(", ", lint.DefaultSeverities.Keys));
        var named = UnsafeMigrations.Select(row => (string)row[0]).Concat(SafeMigrations.Select(row => (string)row[0])).Order(StringComparer.Ordinal);
        Assert.Equal(lint.Project.MigrationIds.Select(id => id[15..]).Order(StringComparer.Ordinal), named);
        Assert.Equal(lint.Project.MigrationIds, lint.LintedMigrations);
        Assert.Equal(1, lint.ExitCode); // errors with the default severities
    }

    [Fact]
    public void With_the_database_every_finding_is_measured_and_only_the_size_independent_risks_stay_above_info()
    {
        var lint = Lint.Value;
        output.WriteLine(lint.Log);
        var initial = lint.Project.Id("Initial");

        // After 'apply Initial' the pending migrations are linted against the real (empty) tables.
        Assert.Equal(lint.Project.MigrationIds.Where(id => id != initial), lint.WithDatabase.LintedMigrations);
        Assert.Equal(lint.Findings.Select(f => $"{f.Migration} {f.Code} {f.Operation}"), lint.WithDatabase.Findings.Select(f => $"{f.Migration} {f.Code} {f.Operation}"));
        Assert.All(lint.WithDatabase.Findings.Where(f => f.Table is not null), f => Assert.True(f.Rows == 0 && f.Bytes > 0, $"{f.Migration} {f.Code} on {f.Table}: rows {f.Rows}, bytes {f.Bytes}"));

        // Everything whose risk grows with the table is info on an empty table; these do not depend on size
        // (or name no table that could be measured: DROP INDEX in SQL, UpdateData) and keep the rule's severity.
        string[] aboveInfo =
        [
            "SM516_LockingMaintenance SM516 error Logs", // TRUNCATE: data loss at any size
            "SM517_ConcurrentlyInTransaction SM517 error Products", // PostgreSQL refuses it at any size
            "SM517_UniqueDropIndexVolatileColumnInSql SM517 error -", // DROP INDEX "..." names no table
            "SM518_UpdateDataWithDdl SM518 warning -",
            "SM519_UnclassifiedSql SM519 warning -",
            "SM520_ConcurrentIndexNotAlone SM520 warning Products",
            "SM520_ConcurrentSqlNotAlone SM520 warning -",
            "SM521_EmptyDown SM521 error -",
            "SM521_ThrowingDown SM521 error -",
            "SM521_InvalidOperationDown SM521 error -",
            "SM522_DownDoesNotUndoUp SM522 warning -",
        ];
        Assert.Equal(aboveInfo, lint.WithDatabase.Findings.Where(f => f.Severity != "info").Select(f => $"{f.Migration[15..]} {f.Code} {f.Severity} {f.Table ?? "-"}"));
        Assert.Equal(1, lint.WithDatabase.ExitCode);
    }

    private static string Describe(IEnumerable<Finding> findings)
    {
        var text = string.Join("; ", findings.Select(f => $"{f.Code} {f.Severity} {f.Operation}"));
        return text.Length == 0 ? "none" : text;
    }

    public sealed record Finding(string Code, string Severity, string Migration, string Operation, string File, string? Table, long? Rows, long? Bytes);

    /// <summary>One parsed <c>lint --json</c> output.</summary>
    private sealed record LintOutput(int ExitCode, IReadOnlyList<string> LintedMigrations, IReadOnlyList<Finding> Findings)
    {
        public static LintOutput Parse(ProcessResult result)
        {
            var json = ToolSession.Json(result);
            var findings = json.GetProperty("findings").EnumerateArray().Select(f => new Finding(
                f.GetProperty("code").GetString()!,
                f.GetProperty("severity").GetString()!,
                f.GetProperty("migration").GetString()!,
                f.GetProperty("operation").GetString() ?? string.Empty,
                Text(f, "file") ?? string.Empty,
                Text(f, "table"),
                Number(f, "rows"),
                Number(f, "bytes"))).ToList();
            return new LintOutput(result.ExitCode, json.GetProperty("migrations").EnumerateArray().Select(m => m.GetString()!).ToList(), findings);
        }

        private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static long? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
    }

    /// <summary>One <c>lint --json</c> run over the whole catalog, parsed once.</summary>
    private sealed class CatalogLint
    {
        public required FixtureProject Project { get; init; }

        public required int ExitCode { get; init; }

        public required IReadOnlyList<string> LintedMigrations { get; init; }

        public required IReadOnlyList<Finding> Findings { get; init; }

        /// <summary>Code → default severity, read from the rule sources (src/EfSafeMigrate/Lint/Rules, one rule per file).</summary>
        public required IReadOnlyDictionary<string, string> DefaultSeverities { get; init; }

        public required string Log { get; init; }

        /// <summary><c>lint --json --database</c> after <c>apply Initial</c>: the other migrations against the real, empty tables.</summary>
        public required LintOutput WithDatabase { get; init; }

        public List<Finding> Of(string migrationName) => Findings.Where(f => f.Migration == Project.Id(migrationName)).ToList();

        public static CatalogLint Run()
        {
            var path = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "LintRuleCatalog", "LintRuleCatalog.csproj");
            var project = new FixtureProject(path, FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(path)!));
            var log = new BufferedOutput();
            using var session = ToolSession.Create(project, log);
            var result = session.Run("lint", "--json");
            session.Log(result);
            var withoutDatabase = LintOutput.Parse(result);

            var apply = session.Run("apply", project.Id("Initial"));
            session.Log(apply);
            if (apply.ExitCode != 0)
            {
                throw new InvalidOperationException($"apply Initial failed:{Environment.NewLine}{apply.Describe()}");
            }

            var withDatabase = session.Run("lint", "--json", "--database");
            session.Log(withDatabase);
            return new CatalogLint
            {
                Project = project,
                ExitCode = withoutDatabase.ExitCode,
                LintedMigrations = withoutDatabase.LintedMigrations,
                Findings = withoutDatabase.Findings,
                WithDatabase = LintOutput.Parse(withDatabase),
                DefaultSeverities = ReadRuleSources(),
                Log = log.ToString(),
            };
        }

        private static Dictionary<string, string> ReadRuleSources()
        {
            var rules = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "EfSafeMigrate", "Lint", "Rules"), "*.cs"))
            {
                var text = File.ReadAllText(file);
                var code = Regex.Match(text, @"Code => ""(SM\d{3})""");
                var severity = Regex.Match(text, @"DefaultSeverity => LintSeverity\.(\w+)");
                if (code.Success && severity.Success)
                {
                    rules.Add(code.Groups[1].Value, severity.Groups[1].Value.ToLowerInvariant());
                }
            }

            return rules;
        }
    }

    /// <summary>Collects the one tool run's log so that every case can print it.</summary>
    private sealed class BufferedOutput : ITestOutputHelper
    {
        private readonly StringBuilder _text = new();

        public void WriteLine(string message)
        {
            lock (_text)
            {
                _text.AppendLine(message);
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
