using EfSafeMigrate.Lint;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tests.Lint;

/// <summary>Builds migrations the way EF Core's MigrationBuilder does, and lints them without a database.</summary>
internal static class LintTestMigrations
{
    public const string Provider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static LintMigration Up(Action<MigrationBuilder> up, Action<MigrationBuilder>? down = null, string id = "20260101000000_Test", string? source = null)
    {
        var upBuilder = new MigrationBuilder(Provider);
        up(upBuilder);
        var downBuilder = new MigrationBuilder(Provider);
        down?.Invoke(downBuilder);
        return new LintMigration(id, false, upBuilder.Operations, downBuilder.Operations, source is null ? null : MigrationSourceMap.Parse("Migrations/" + id + ".cs", source));
    }

    public static IReadOnlyList<LintFinding> RunLint(LintMigration migration, LintOptions? options = null)
        => new LintEngine(options ?? new LintOptions(), database: null).Lint(migration);

    public static IReadOnlyList<string> Codes(Action<MigrationBuilder> up, Action<MigrationBuilder>? down = null)
        => RunLint(Up(up, down ?? (_ => { }))).Select(f => f.Code).ToList();

    /// <summary>Codes of the findings, ignoring the Down checks (SM521/SM522) that an Up-only test migration triggers.</summary>
    public static IReadOnlyList<string> UpCodes(Action<MigrationBuilder> up)
        => Codes(up).Where(c => c is not ("SM521" or "SM522")).ToList();

    public static void Items(MigrationBuilder b)
        => b.CreateTable("Items", t => new { Id = t.Column<int>(type: "integer", nullable: false), Name = t.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true) },
            constraints: t => t.PrimaryKey("PK_Items", x => x.Id));
}
