namespace EfSafeMigrate.Squashing;

/// <summary>
/// The check an idempotent script makes for one squashed migration before running anything of it:
/// the database must not be part-way through the migrations it replaces. Rendered into SQL by an
/// <see cref="ISquashScriptGuards"/>.
/// </summary>
/// <param name="SquashedMigrationId">The squashed migration.</param>
/// <param name="ReplacedIds">Every migration it replaces, directly or through a squashed migration it replaces, oldest first (the rows the error's detail reports as applied or not).</param>
/// <param name="Condition">A SQL boolean expression (from <see cref="ISquashScriptGuards.AnyRowExists"/>) that is true when the database is part-way through the range: some of <paramref name="ReplacedIds"/> have rows, and the squashed migration does not count as applied.</param>
/// <param name="Message">The error's text, plain (not SQL): what, where, and the fix.</param>
public sealed record SquashRangeCheck(string SquashedMigrationId, IReadOnlyList<string> ReplacedIds, string Condition, string Message);
