using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

public class MigrationSourceScannerTests
{
    private const string Initial = "20240101000000_Initial";
    private const string AddSku = "20240102000000_AddSku";

    [Fact]
    public void Scan_finds_migration_split_over_migration_and_designer_files()
    {
        var scan = Scan(Migration(Initial));

        var migration = Assert.Single(scan.Migrations);
        Assert.Equal(Initial, migration.Id);
        Assert.Equal("AppContext", migration.Context);
        Assert.Equal("App.Migrations.Initial", migration.ClassName);
        Assert.Equal(Folder, migration.Folder);
        Assert.Equal([$"{Folder}/{Initial}.Designer.cs", $"{Folder}/{Initial}.cs"], migration.Files);
        Assert.Equal($"{Folder}/{Initial}.cs", migration.DeclarationFile);
        Assert.Equal(8, migration.DeclarationLine);
    }

    [Fact]
    public void Scan_accepts_attributes_in_the_migration_file_without_designer()
    {
        var file = new SourceFile($"{Folder}/{AddSku}.cs", """
            namespace App.Migrations;

            [DbContext(typeof(App.Data.AppContext)), Migration("20240102000000_AddSku")]
            public class AddSku : Microsoft.EntityFrameworkCore.Migrations.Migration
            {
            }
            """);

        var migration = Assert.Single(Scan([file]).Migrations);

        Assert.Equal(AddSku, migration.Id);
        Assert.Equal("AppContext", migration.Context);
    }

    [Fact]
    public void Scan_reports_migration_class_without_migration_attribute_with_null_id()
    {
        var migration = Assert.Single(Scan([MigrationFile(Initial)]).Migrations);

        Assert.Null(migration.Id);
        Assert.Equal($"{Folder}/{Initial}.cs", migration.DeclarationFile);
    }

    [Fact]
    public void Scan_finds_snapshot_and_its_conflict_marker_lines()
    {
        var snapshot = Snapshot(body: "<<<<<<< HEAD\n        a();\n=======\n        b();\n>>>>>>> feature\n");

        var found = Assert.Single(Scan([snapshot]).Snapshots);

        Assert.Equal("AppContext", found.Context);
        Assert.Equal([8, 10, 12], found.ConflictMarkerLines);
    }

    [Fact]
    public void Scan_keeps_contexts_and_folders_apart()
    {
        var scan = Scan(Migration(Initial, "AppContext"), Migration(AddSku, "AuditContext"), Migration("20240103000000_Other", "AppContext", "src/Other/Migrations"));

        Assert.Equal(["src/App/Migrations", "src/Other/Migrations"], scan.Folders);
        Assert.Equal(["AppContext", "AuditContext", "AppContext"], scan.Migrations.Select(m => m.Context));
    }

    [Fact]
    public void Scan_ignores_files_that_are_not_csharp_or_do_not_mention_migrations()
    {
        var scan = MigrationSourceScanner.Scan([new SourceFile("src/App/Program.cs", "class Program { }"), new SourceFile("src/App/notes.txt", "class X : Migration")]);

        Assert.Empty(scan.Migrations);
    }

    [Fact]
    public void Hash_ignores_line_endings_and_bom()
    {
        var lf = Migration(Initial).ToList();
        var crlf = lf.Select(f => f with { Content = "\uFEFF" + f.Content.Replace("\n", "\r\n") }).ToList();

        Assert.Equal(Scan(lf).Migrations[0].Hash, Scan(crlf).Migrations[0].Hash);
    }

    [Fact]
    public void Hash_changes_when_a_file_changes()
    {
        var original = Scan(Migration(Initial)).Migrations[0].Hash;
        var edited = Scan([MigrationFile(Initial, body: "migrationBuilder.Sql(\"SELECT 2;\");"), DesignerFile(Initial)]).Migrations[0].Hash;

        Assert.NotEqual(original, edited);
    }
}
