using Microsoft.EntityFrameworkCore.Migrations;

namespace Shop.Data;

/// <summary>
/// A migration made of SQL scripts only, the base class real projects put between their migrations and
/// EF Core's <see cref="Migration"/> (declared outside the migrations folder, as they do). A file scanner
/// that only knows direct subclasses of <c>Migration</c> misses every migration deriving from it, and
/// must not take this abstract class for a migration without <c>[Migration]</c>.
/// </summary>
public abstract class ScriptsMigration : Migration
{
    /// <summary>The statements <c>Up</c> runs, in order.</summary>
    protected abstract IReadOnlyList<string> UpScripts { get; }

    /// <summary>The statements <c>Down</c> runs, in order.</summary>
    protected abstract IReadOnlyList<string> DownScripts { get; }

    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var script in UpScripts)
        {
            migrationBuilder.Sql(script);
        }
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var script in DownScripts)
        {
            migrationBuilder.Sql(script);
        }
    }
}
