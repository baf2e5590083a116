namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// One command of a compiled migration step, as EF Core's <see cref="Microsoft.EntityFrameworkCore.Migrations.IMigrationsSqlGenerator"/>
/// produced it for <see cref="Microsoft.EntityFrameworkCore.Migrations.MigrationCommand"/>: the SQL text and whether EF Core runs it
/// outside the migration's transaction (<c>suppressTransaction: true</c> in <c>Sql()</c>, or a statement PostgreSQL cannot run in a
/// transaction such as <c>CREATE DATABASE</c>).
/// </summary>
/// <param name="Sql">The command text, exactly as generated.</param>
/// <param name="TransactionSuppressed"><see cref="Microsoft.EntityFrameworkCore.Migrations.MigrationCommand.TransactionSuppressed"/>.</param>
internal sealed record CompiledCommand(string Sql, bool TransactionSuppressed);
