using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Journal;

/// <summary>
/// Writes journal rows (<see cref="JournalTable"/>), one per executed step, on the context's
/// connection (so inside the migration lock when the runner holds it), creating the table the
/// first time. Rows are inserted with one parameterized ADO.NET command of the context's connection, created on the first row
/// and reused for the next (an apply of hundreds of steps writes hundreds of rows: EF Core's raw SQL path would parse the SQL
/// and build the parameters through its type mappings for each), placeholders and names from EF Core's
/// <see cref="ISqlGenerationHelper"/>, enlisted in the context's current transaction when there is one, with the context's
/// command timeout; outside a transaction each insert commits on its own (autocommit), and inside
/// the caller's transaction it commits or rolls back with it. User and host are
/// <see cref="Environment.UserName"/> and <see cref="Environment.MachineName"/>.
/// Not thread-safe: one instance per context, used from one thread.
/// </summary>
internal sealed class JournalRecorder
{
    private readonly DbContext _context;
    private readonly IJournalTableProbe _probe;
    private readonly string _toolVersion;
    private bool _exists;
    private System.Data.Common.DbCommand? _insert;

    /// <summary>Creates a recorder for the context's database.</summary>
    /// <param name="context">The context whose database gets the journal (its connection is used).</param>
    /// <param name="probe">The provider's existence check for the table.</param>
    /// <param name="toolVersion">The version written into each row (e.g. the tool's informational version).</param>
    /// <exception cref="InvalidOperationException">The context does not use a relational provider.</exception>
    public JournalRecorder(DbContext context, IJournalTableProbe probe, string toolVersion)
    {
        _context = context;
        _probe = probe;
        _toolVersion = toolVersion;
        Table = JournalTable.For(context);
    }

    /// <summary>The journal table written to.</summary>
    public JournalTable Table { get; }

    /// <summary>
    /// Creates the journal table when it does not exist; returns true when this call created it.
    /// Idempotent and safe against a concurrent creation: when the DDL fails and the table exists
    /// afterwards (another session created it first), that counts as existing. The DDL
    /// (<see cref="JournalTableDefinition"/>) runs in one transaction through EF Core's
    /// <see cref="IMigrationCommandExecutor"/>.
    /// </summary>
    /// <exception cref="Exception">The table does not exist and could not be created (the database's error, e.g. permission denied).</exception>
    public bool EnsureCreated()
    {
        if (_exists)
        {
            return false;
        }

        if (_probe.Exists(_context, Table))
        {
            AddMissingColumns();
            _exists = true;
            return false;
        }

        try
        {
            _context.GetService<IMigrationCommandExecutor>().ExecuteNonQuery(
                JournalTableDefinition.CreateCommands(_context, Table), _context.GetService<IRelationalConnection>());
        }
        catch (Exception) when (_probe.Exists(_context, Table))
        {
            _exists = true;
            return false; // created concurrently by another session
        }

        _exists = true;
        return true;
    }

    // A table of an older version gets the columns added since (JournalColumns.Added); a concurrent ALTER by another
    // session counts as done when the columns exist afterwards.
    private void AddMissingColumns()
    {
        var missing = JournalColumns.Added.Where(c => !_probe.HasColumn(_context, Table, c)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        try
        {
            _context.GetService<IMigrationCommandExecutor>().ExecuteNonQuery(
                JournalTableDefinition.AddColumnCommands(_context, Table, missing), _context.GetService<IRelationalConnection>());
        }
        catch (Exception) when (missing.All(c => _probe.HasColumn(_context, Table, c)))
        {
        }
    }

    /// <summary>
    /// Stores the database's size before and after a run in the rows that run wrote (those started at or after
    /// <paramref name="runStartedUtc"/> that have no size yet; the migration lock keeps other runs out meanwhile).
    /// </summary>
    /// <param name="runStartedUtc">When the run started (UTC), before its first step.</param>
    /// <param name="bytesBefore">Database size in bytes before the run; null when not measured.</param>
    /// <param name="bytesAfter">Database size in bytes after the run; null when not measured.</param>
    /// <exception cref="JournalWriteException">The rows could not be updated.</exception>
    public void RecordRunSizes(DateTime runStartedUtc, long? bytesBefore, long? bytesAfter)
    {
        try
        {
            EnsureCreated();
            var sql = _context.GetService<ISqlGenerationHelper>();
            var update = $"UPDATE {Table.Delimited(sql)} SET {sql.DelimitIdentifier(JournalColumns.DatabaseBytesBefore)} = {{0}}, " +
                         $"{sql.DelimitIdentifier(JournalColumns.DatabaseBytesAfter)} = {{1}} " +
                         $"WHERE {sql.DelimitIdentifier(JournalColumns.StartedAt)} >= {{2}} AND {sql.DelimitIdentifier(JournalColumns.DatabaseBytesBefore)} IS NULL " +
                         $"AND {sql.DelimitIdentifier(JournalColumns.Reason)} IS NULL{sql.StatementTerminator}";
            _context.Database.ExecuteSqlRaw(update, bytesBefore!, bytesAfter!, DateTime.SpecifyKind(runStartedUtc, DateTimeKind.Utc));
        }
        catch (Exception ex)
        {
            throw new JournalWriteException("(run)", "database size", Table, ex);
        }
    }

    /// <summary>Writes one row, creating the table first when needed (<see cref="EnsureCreated"/>).</summary>
    /// <param name="migrationId">The migration id.</param>
    /// <param name="action">What happened (<see cref="JournalActions"/>).</param>
    /// <param name="checksum">SHA-256 hex of the migration's files when it ran; null when unknown.</param>
    /// <param name="startedUtc">When the step started; a <see cref="DateTimeKind.Local"/> time is converted, an unspecified one is taken as UTC.</param>
    /// <param name="duration">How long the step took; stored in whole milliseconds (rounded).</param>
    /// <param name="backupPath">The backup taken before the run, or null.</param>
    /// <param name="reason">Why a person wrote the row (<c>repair --reason</c>); null for migration runs.</param>
    /// <exception cref="JournalWriteException">The table could not be created or the row not inserted; names the migration and the table.</exception>
    public void Record(string migrationId, string action, string? checksum, DateTime startedUtc, TimeSpan duration, string? backupPath, string? reason = null)
    {
        try
        {
            EnsureCreated();
            var sql = _context.GetService<ISqlGenerationHelper>();
            var columns = new[]
            {
                JournalColumns.MigrationId, JournalColumns.Action, JournalColumns.Checksum, JournalColumns.StartedAt, JournalColumns.DurationMs,
                JournalColumns.BackupPath, JournalColumns.ToolVersion, JournalColumns.UserName, JournalColumns.HostName, JournalColumns.Reason,
            };
            var values = new object?[]
            {
                migrationId,
                action,
                checksum,
                startedUtc.Kind == DateTimeKind.Local ? startedUtc.ToUniversalTime() : DateTime.SpecifyKind(startedUtc, DateTimeKind.Utc),
                (long)Math.Round(duration.TotalMilliseconds, MidpointRounding.AwayFromZero),
                backupPath,
                Cut(_toolVersion),
                Cut(Environment.UserName),
                Cut(Environment.MachineName),
                reason,
            };

            var connection = _context.Database.GetDbConnection();
            if (_insert is null || _insert.Connection != connection)
            {
                _insert?.Dispose();
                _insert = connection.CreateCommand();
                _insert.CommandText = $"INSERT INTO {Table.Delimited(sql)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c)))}) " +
                                      $"VALUES ({string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))))}){sql.StatementTerminator}";
                for (var i = 0; i < columns.Length; i++)
                {
                    var parameter = _insert.CreateParameter();
                    parameter.ParameterName = sql.GenerateParameterName("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _insert.Parameters.Add(parameter);
                }
            }

            for (var i = 0; i < values.Length; i++)
            {
                _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            _insert.Transaction = _context.Database.CurrentTransaction?.GetDbTransaction();
            if (_context.Database.GetCommandTimeout() is { } timeout)
            {
                _insert.CommandTimeout = timeout;
            }

            _context.Database.OpenConnection(); // EF Core's count of opens: the connection stays open when the caller opened it
            try
            {
                _insert.ExecuteNonQuery();
            }
            finally
            {
                _context.Database.CloseConnection();
            }
        }
        catch (Exception ex)
        {
            throw new JournalWriteException(migrationId, action, Table, ex);
        }
    }

    private static string Cut(string value)
        => value.Length <= JournalColumns.ShortTextLength ? value : value[..JournalColumns.ShortTextLength];
}
