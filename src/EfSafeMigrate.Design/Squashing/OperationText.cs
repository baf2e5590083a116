using EfSafeMigrate.Execution;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>Names an operation of a migration in messages: its position and a summary, with the start of the SQL for <c>Sql(...)</c>.</summary>
public static class OperationText
{
    private const int SqlExcerptLength = 70;

    /// <summary>E.g. <c>Up operation 2 (sql "INSERT INTO \"Categories\" ...")</c>.</summary>
    /// <param name="direction"><c>Up</c> or <c>Down</c>.</param>
    /// <param name="index">0-based position of the operation in that method.</param>
    /// <param name="operation">The operation.</param>
    public static string Describe(string direction, int index, MigrationOperation operation)
        => $"{direction} operation {index + 1} ({Describe(operation)})";

    /// <summary>A one-line summary: <see cref="OperationSummary.Describe(MigrationOperation)"/>, or the start of the SQL.</summary>
    public static string Describe(MigrationOperation operation)
    {
        if (operation is not SqlOperation sql)
        {
            return OperationSummary.Describe(operation);
        }

        var text = string.Join(' ', sql.Sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "sql \"" + (text.Length > SqlExcerptLength ? text[..SqlExcerptLength] + "…" : text) + "\"";
    }
}
