namespace EfSafeMigrate.Lint;

/// <summary>How big a table is in the database the lint runs against.</summary>
/// <param name="Exists">False when the table does not exist (yet): nothing to lock or rewrite.</param>
/// <param name="Rows">Estimated rows (PostgreSQL: <c>pg_class.reltuples</c>, the planner's estimate after the last <c>ANALYZE</c>/<c>VACUUM</c>; 0 for a never-analyzed table is corrected by a bounded count).</param>
/// <param name="Bytes">Bytes of the table, its indexes and TOAST (PostgreSQL: <c>pg_total_relation_size</c>).</param>
/// <param name="Unmeasured">
/// Null when <paramref name="Rows"/> and <paramref name="Bytes"/> were measured; otherwise why they could not be
/// (e.g. another session holds a lock that conflicts with reading the table), and the finding keeps its rule's
/// default severity rather than being judged on a guess.
/// </param>
internal sealed record TableSize(bool Exists, long Rows, long Bytes, string? Unmeasured = null)
{
    /// <summary>A table that does not exist.</summary>
    public static TableSize Missing { get; } = new(false, 0, 0);
}

/// <summary>What a narrowing change checks existing rows for.</summary>
internal enum NarrowingCheck
{
    /// <summary>Rows whose value is NULL (nullable → required).</summary>
    Nulls,

    /// <summary>Rows whose value is longer than the new maximum length (characters).</summary>
    LongerThan,

    /// <summary>Rows whose value is not NULL: the values dropping the column loses (the destructive-step flags of <c>plan</c> and <c>rollback</c>).</summary>
    Values,
}

/// <summary>
/// The database side of lint: sizes of tables and bounded counts of rows a narrowing change
/// would break. Implemented per provider (PostgreSQL: <c>EfSafeMigrate.Npgsql.Lint.NpgsqlLintDatabase</c>).
/// </summary>
internal interface ILintDatabase
{
    /// <summary>A short description of the database for messages (never with a password).</summary>
    string Describe();

    /// <summary>
    /// The size of a table; <see cref="TableSize.Missing"/> when it does not exist. When the estimate
    /// is under <paramref name="countUpTo"/> (or unknown), rows are counted exactly, reading at most
    /// that many plus one, so a freshly filled, never-analyzed table is not taken for a small one.
    /// </summary>
    TableSize GetTableSize(TableRef table, long countUpTo);

    /// <summary>
    /// Counts existing rows that would fail or be truncated, stopping at <paramref name="limit"/>
    /// (so the query reads at most that many matching rows). Null when the column does not exist, or when the rows cannot be read without waiting for another session's lock.
    /// </summary>
    long? CountViolations(TableRef table, string column, NarrowingCheck check, int? maxLength, long limit);
}

/// <summary>
/// A database that does not exist yet: every table is missing, so every size-dependent finding is
/// info (a run that creates the database creates every table it touches).
/// </summary>
/// <param name="Description">The database for messages.</param>
internal sealed record MissingDatabase(string Description) : ILintDatabase
{
    /// <inheritdoc />
    public string Describe() => Description + " (does not exist yet)";

    /// <inheritdoc />
    public TableSize GetTableSize(TableRef table, long countUpTo) => TableSize.Missing;

    /// <inheritdoc />
    public long? CountViolations(TableRef table, string column, NarrowingCheck check, int? maxLength, long limit) => null;
}
