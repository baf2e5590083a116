using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>Shared reading of custom SQL for the <c>Sql(...)</c> rules.</summary>
internal static class SqlRuleHelpers
{
    /// <summary>The classified statements of a <see cref="SqlOperation"/>, or none for other operations.</summary>
    public static IReadOnlyList<SqlStatement> Statements(MigrationOperation operation)
        => operation is SqlOperation sql ? SqlStatementClassifier.Classify(sql.Sql) : [];

    /// <summary><c>sql: UPDATE "Items" SET ...</c>, for the finding's operation column.</summary>
    public static string Describe(SqlStatement statement) => "sql: " + statement.Short;

    /// <summary>True for operations that change rows rather than the schema.</summary>
    public static bool IsDataChange(MigrationOperation operation)
        => operation is UpdateDataOperation or DeleteDataOperation
           || Statements(operation).Any(s => s.Kind is SqlStatementKind.Update or SqlStatementKind.Delete || (s.Kind == SqlStatementKind.Insert && s.HasWhere));

    /// <summary>True for operations that change the schema (EF Core's schema operations, or DDL in custom SQL).</summary>
    public static bool IsSchemaChange(MigrationOperation operation)
        => operation switch
        {
            SqlOperation => Statements(operation).Any(s => s.Kind is SqlStatementKind.CreateIndex or SqlStatementKind.DropIndex or SqlStatementKind.AddConstraint
                or SqlStatementKind.SetNotNull or SqlStatementKind.AlterColumnType or SqlStatementKind.AddColumnRewrite),
            InsertDataOperation or UpdateDataOperation or DeleteDataOperation => false,
            _ => true,
        };
}
