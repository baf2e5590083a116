using System.Data;
using EfSafeMigrate.Npgsql.Lint;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Journal;

/// <summary>A lint allowance as recorded (<see cref="NpgsqlLintAllowanceJournal"/>), with when it was recorded.</summary>
/// <param name="Allowance">The allowance.</param>
/// <param name="RecordedUtc">When the run that executed its migration recorded it (UTC).</param>
internal sealed record RecordedLintAllowance(LintAllowance Allowance, DateTime RecordedUtc);

/// <summary>Reads the lint allowances table (<see cref="NpgsqlLintAllowanceJournal.TableName"/>); a missing table reads as empty.</summary>
internal static class NpgsqlLintAllowanceReader
{
    /// <summary>Every row, oldest first. Opens the connection when closed and leaves it as found.</summary>
    /// <exception cref="NpgsqlException">The query failed.</exception>
    public static IReadOnlyList<RecordedLintAllowance> ReadAll(NpgsqlConnection connection)
    {
        var opened = false;
        if (connection.State != ConnectionState.Open)
        {
            connection.Open();
            opened = true;
        }

        try
        {
            using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
            {
                exists.Parameters.Add(new NpgsqlParameter { Value = "\"" + NpgsqlLintAllowanceJournal.TableName + "\"" });
                if (!(bool)exists.ExecuteScalar()!)
                {
                    return [];
                }
            }

            var rows = new List<RecordedLintAllowance>();
            using var command = new NpgsqlCommand(
                $"SELECT \"MigrationId\", \"Direction\", \"Code\", \"AllowedBy\", \"Reason\", \"File\", \"Line\", \"RecordedAt\" FROM \"{NpgsqlLintAllowanceJournal.TableName}\" ORDER BY \"Id\"",
                connection);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new RecordedLintAllowance(
                    new LintAllowance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6)),
                    reader.GetFieldValue<DateTime>(7)));
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                connection.Close();
            }
        }
    }
}
