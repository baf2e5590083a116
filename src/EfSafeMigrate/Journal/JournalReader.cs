using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Journal;

/// <summary>
/// Reads the journal table (<see cref="JournalTable"/>) on the context's connection, through EF
/// Core's raw SQL command builder (as EF Core's history repository reads its table). A database
/// or journal table that does not exist reads as empty, never as an error.
/// </summary>
internal sealed class JournalReader
{
    private readonly DbContext _context;
    private readonly IJournalTableProbe _probe;

    /// <summary>Creates a reader for the context's database.</summary>
    /// <param name="context">The context whose database holds the journal.</param>
    /// <param name="probe">The provider's existence check for the table.</param>
    /// <exception cref="InvalidOperationException">The context does not use a relational provider.</exception>
    public JournalReader(DbContext context, IJournalTableProbe probe)
    {
        _context = context;
        _probe = probe;
        Table = JournalTable.For(context);
    }

    /// <summary>The journal table read.</summary>
    public JournalTable Table { get; }

    /// <summary>True when the database and its journal table exist.</summary>
    public bool Exists() => _context.GetService<IRelationalDatabaseCreator>().Exists() && _probe.Exists(_context, Table);

    /// <summary>Every row, oldest first (by <see cref="JournalEntry.Id"/>); empty when there is no journal.</summary>
    public IReadOnlyList<JournalEntry> ReadAll() => Read(null);

    /// <summary>
    /// The latest row (largest <see cref="JournalEntry.Id"/>) of each migration that has one, by
    /// migration id (ordinal); empty when there is no journal. The row may be of any action,
    /// e.g. a revert after an apply.
    /// </summary>
    public IReadOnlyDictionary<string, JournalEntry> ReadLatest()
    {
        var sql = _context.GetService<ISqlGenerationHelper>();
        var id = sql.DelimitIdentifier(JournalColumns.Id);
        var latest = $"{id} IN (SELECT MAX({id}) FROM {Table.Delimited(sql)} GROUP BY {sql.DelimitIdentifier(JournalColumns.MigrationId)})";
        return Read(latest).ToDictionary(e => e.MigrationId, StringComparer.Ordinal);
    }

    private List<JournalEntry> Read(string? where)
    {
        var entries = new List<JournalEntry>();
        if (!Exists())
        {
            return entries;
        }

        var sql = _context.GetService<ISqlGenerationHelper>();
        string[] columns =
        [
            JournalColumns.Id, JournalColumns.MigrationId, JournalColumns.Action, JournalColumns.Checksum, JournalColumns.StartedAt,
            JournalColumns.DurationMs, JournalColumns.BackupPath, JournalColumns.ToolVersion, JournalColumns.UserName, JournalColumns.HostName,
        ];
        // A table written by an older version lacks the added columns: they read as NULL.
        var added = JournalColumns.Added.Select(c => _probe.HasColumn(_context, Table, c) ? sql.DelimitIdentifier(c) : "NULL");
        var query = $"SELECT {string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c)).Concat(added))} FROM {Table.Delimited(sql)}" +
                    (where is null ? string.Empty : $" WHERE {where}") +
                    $" ORDER BY {sql.DelimitIdentifier(JournalColumns.Id)}{sql.StatementTerminator}";
        var command = _context.GetService<IRawSqlCommandBuilder>().Build(query);
        using var reader = command.ExecuteReader(new RelationalCommandParameterObject(
            _context.GetService<IRelationalConnection>(), null, null, _context, _context.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.Migrations));
        var data = reader.DbDataReader;
        while (data.Read())
        {
            entries.Add(new JournalEntry(
                data.GetFieldValue<long>(0),
                data.GetString(1),
                data.GetString(2),
                NullableString(data, 3),
                AsUtc(data.GetFieldValue<DateTime>(4)),
                data.GetFieldValue<long>(5),
                NullableString(data, 6),
                data.GetString(7),
                data.GetString(8),
                data.GetString(9),
                data.IsDBNull(10) ? null : Convert.ToInt64(data.GetValue(10), System.Globalization.CultureInfo.InvariantCulture),
                data.IsDBNull(11) ? null : Convert.ToInt64(data.GetValue(11), System.Globalization.CultureInfo.InvariantCulture),
                data.IsDBNull(12) ? null : Convert.ToString(data.GetValue(12), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return entries;
    }

    // Npgsql reads timestamp with time zone as UTC; providers without time zones read Unspecified (stored as UTC).
    private static DateTime AsUtc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string? NullableString(DbDataReader data, int ordinal) => data.IsDBNull(ordinal) ? null : data.GetString(ordinal);
}
