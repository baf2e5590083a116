using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

/// <summary>Migrations that derive from Migration through base classes of the project (BTCPay Server's DBScriptsMigration pattern).</summary>
public class MigrationSourceScannerBaseClassTests
{
    private static readonly SourceFile AbstractBase = new("src/App/Data/DBScriptsMigration.cs", """
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace App.Data
        {
            public abstract class DBScriptsMigration : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("SELECT 1;");
                }
            }
        }
        """);

    private static SourceFile DerivedMigration(string id, string baseName = "DBScriptsMigration", string modifiers = "public partial") => new($"{Folder}/{id}.cs", $$"""
        using App.Data;
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace App.Migrations
        {
            [DbContext(typeof(AppContext))]
            [Migration("{{id}}")]
            {{modifiers}} class M{{id[..14]}} : {{baseName}}
            {
            }
        }
        """);

    [Fact]
    public void Scan_finds_migrations_deriving_from_an_abstract_base_class_of_the_project()
    {
        var scan = Scan([AbstractBase, DerivedMigration("20240101000000_Init")], Migration("20240102000000_AddSku"));

        Assert.Equal(["20240101000000_Init", "20240102000000_AddSku"], scan.Migrations.Select(m => m.Id));
        Assert.Equal("AppContext", scan.Migrations[0].Context);
        Assert.Equal([$"{Folder}/20240101000000_Init.cs"], scan.Migrations[0].Files);
    }

    [Fact]
    public void Scan_follows_several_levels_of_base_classes()
    {
        var middle = new SourceFile("src/App/Data/ScriptsWithSeedMigration.cs", "namespace App.Data\n{\n    public abstract class ScriptsWithSeedMigration : DBScriptsMigration\n    {\n    }\n}\n");

        var scan = Scan([AbstractBase, middle, DerivedMigration("20240101000000_Init", "ScriptsWithSeedMigration")]);

        Assert.Equal("20240101000000_Init", Assert.Single(scan.Migrations).Id);
    }

    [Fact]
    public void Scan_does_not_report_abstract_base_classes_as_migrations()
    {
        var scan = Scan([AbstractBase, DerivedMigration("20240101000000_Init")]);

        Assert.DoesNotContain(scan.Migrations, m => m.Id is null);
        Assert.DoesNotContain(IntegrityChecker.Check(Folder, scan.Migrations, scan.Snapshots, SumFor(scan), context: null),
            f => f.Code == FindingCodes.MissingMigrationAttribute);
    }

    [Fact]
    public void Scan_ignores_an_abstract_class_even_with_a_migration_attribute()
    {
        var scan = Scan([AbstractBase, DerivedMigration("20240101000000_Init", modifiers: "public abstract partial")]);

        Assert.Empty(scan.Migrations);
    }

    [Fact]
    public void Scan_takes_a_migration_attribute_on_a_class_whose_base_is_declared_elsewhere()
    {
        var scan = Scan([DerivedMigration("20240101000000_Init", "Shared.Migrations.PackagedBaseMigration")]);

        Assert.Equal("20240101000000_Init", Assert.Single(scan.Migrations).Id);
    }

    [Fact]
    public void Scan_ignores_a_migration_attribute_on_a_class_whose_project_base_is_not_a_migration()
    {
        var notMigration = new SourceFile("src/App/Data/MigrationHelper.cs", "namespace App.Data\n{\n    public class MigrationHelper\n    {\n    }\n}\n");
        var scan = Scan([notMigration, AbstractBase, DerivedMigration("20240101000000_Init", "MigrationHelper")]);

        Assert.Empty(scan.Migrations);
    }

    [Fact]
    public void Hash_records_them_and_check_sees_an_edit()
    {
        var scan = Scan([AbstractBase, DerivedMigration("20240101000000_Init")], Migration("20240102000000_AddSku"));
        var sum = SumFor(scan);
        var edited = new SourceFile($"{Folder}/20240101000000_Init.cs", DerivedMigration("20240101000000_Init").Content + "// edited\n");
        var after = Scan([AbstractBase, edited], Migration("20240102000000_AddSku"));

        var findings = IntegrityChecker.Check(Folder, after.Migrations, after.Snapshots, sum, context: null);

        Assert.Contains("AppContext 20240101000000_Init 0 ", sum, StringComparison.Ordinal);
        Assert.Equal("20240101000000_Init", Assert.Single(findings, f => f.Code == FindingCodes.MigrationEdited).Migrations.Single());
    }
}
