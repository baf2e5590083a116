using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM501: <c>CREATE INDEX</c> without <c>CONCURRENTLY</c> on a table that already exists takes a
/// <c>SHARE</c> lock for the whole build: reads go on, every write waits until every row is read
/// and sorted. Npgsql creates the index concurrently when the index is configured with
/// <c>IsCreatedConcurrently()</c> (annotation <c>Npgsql:CreatedConcurrently</c>), and then runs the
/// migration without a transaction (PostgreSQL refuses <c>CREATE INDEX CONCURRENTLY</c> in one).
/// </summary>
internal sealed class IndexWithoutConcurrently : LintRule
{
    /// <summary>The Npgsql annotation that makes EF Core emit <c>CREATE INDEX CONCURRENTLY</c>.</summary>
    public const string CreatedConcurrently = "Npgsql:CreatedConcurrently";

    /// <inheritdoc />
    public override string Code => "SM501";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "index created without CONCURRENTLY on an existing table";

    /// <summary>True when the operation creates the index concurrently.</summary>
    public static bool IsConcurrent(CreateIndexOperation operation) => operation[CreatedConcurrently] is true;

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not CreateIndexOperation index || IsConcurrent(index) || context.IsNew(index.Schema, index.Table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(index.Schema, index.Table),
            Column = string.Join(", ", index.Columns),
            Lock = LockModes.Share,
            ScansTable = true,
            Message = $"Index {index.Name} is built without CONCURRENTLY: {index.Table} is locked {LockModes.Share} (writes wait) until every row has been read and sorted.",
            Fix = $"Build it concurrently, in a migration of its own (Npgsql runs it outside a transaction): in OnModelCreating, .HasIndex(...){(index.IsUnique ? ".IsUnique()" : string.Empty)}.IsCreatedConcurrently(); then 'dotnet safe-migrate add AddIndex{index.Table}' — the scaffolded CreateIndex gets .Annotation(\"Npgsql:CreatedConcurrently\", true).",
        };
    }
}
