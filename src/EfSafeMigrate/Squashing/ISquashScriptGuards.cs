using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The provider-specific SQL that idempotent migration scripts need around squashed migrations.
/// EF Core wraps every command of an idempotent script in a guard it asks the history repository for
/// (<see cref="IHistoryRepository.GetBeginIfNotExistsScript"/> when applying,
/// <see cref="IHistoryRepository.GetBeginIfExistsScript"/> when reverting, both closed by
/// <see cref="IHistoryRepository.GetEndIfScript"/>), and those guards only look at the migration's own
/// history row. A squashed migration also counts as applied through the rows of the migrations it
/// replaces, so <see cref="SquashAwareHistoryRepository"/> builds its guards from the pieces this
/// interface renders; the boolean logic (which rows, AND/OR/NOT) is the library's
/// (<see cref="SquashRules"/>), the SQL dialect is the implementation's.
/// </summary>
/// <remarks>
/// The PostgreSQL implementation is <c>EfSafeMigrate.Npgsql.Squashing.NpgsqlSquashScriptGuards</c> in the
/// EfSafeMigrate.Npgsql package; <see cref="SquashAwareHistoryRepository.ScriptGuards"/> finds it by
/// name when the history repository is Npgsql's and that assembly can be loaded, so this library does
/// not reference Npgsql. Implementations must quote identifiers and literals as the provider does, use
/// the history table the wrapped repository uses (its name and schema are configurable in EF Core), and
/// produce begin scripts that the provider's own <see cref="IHistoryRepository.GetEndIfScript"/> closes.
/// </remarks>
public interface ISquashScriptGuards
{
    /// <summary>
    /// A SQL boolean expression that is true when the history table has a row for at least one of
    /// <paramref name="migrationIds"/>, e.g. <c>EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" IN ('a', 'b'))</c>.
    /// The library combines such expressions with <c>AND</c>, <c>OR</c>, <c>NOT</c> and parentheses.
    /// </summary>
    /// <param name="migrationIds">One or more migration ids.</param>
    string AnyRowExists(IReadOnlyList<string> migrationIds);

    /// <summary>
    /// A SQL boolean expression that is true when the history table has a row for every one of
    /// <paramref name="migrationIds"/>, e.g. <c>(SELECT count(*) FROM "__EFMigrationsHistory" WHERE "MigrationId" IN ('a', 'b')) = 2</c>.
    /// </summary>
    /// <param name="migrationIds">One or more migration ids.</param>
    string AllRowsExist(IReadOnlyList<string> migrationIds);

    /// <summary>
    /// The beginning of a guarded block of an idempotent script, in place of the provider's
    /// <see cref="IHistoryRepository.GetBeginIfNotExistsScript"/> or
    /// <see cref="IHistoryRepository.GetBeginIfExistsScript"/>: EF Core appends one command and then
    /// the provider's <see cref="IHistoryRepository.GetEndIfScript"/> (so it ends as the provider's own
    /// begin scripts do, e.g. without a line break). When <paramref name="check"/> is
    /// given, the block first raises its error (<see cref="SquashRangeCheck.Message"/>) when
    /// <see cref="SquashRangeCheck.Condition"/> holds, so that the script stops with it; then the command
    /// runs only when <paramref name="condition"/> holds.
    /// </summary>
    /// <param name="condition">A SQL boolean expression built from <see cref="AnyRowExists"/>.</param>
    /// <param name="check">The error to raise first, or null.</param>
    string GetBeginIfScript(string condition, SquashRangeCheck? check);

    /// <summary>
    /// A complete statement for the very start of an idempotent script, before any other statement:
    /// it raises the error of the first check whose condition holds, and does nothing otherwise. It must
    /// run on a database where the history table does not exist yet (then nothing is applied and it
    /// raises nothing), and ends with a line break.
    /// </summary>
    /// <param name="checks">One or more checks, oldest squashed migration first.</param>
    string GetRangeCheckScript(IReadOnlyList<SquashRangeCheck> checks);
}
