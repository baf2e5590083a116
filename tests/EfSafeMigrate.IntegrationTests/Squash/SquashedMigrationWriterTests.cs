using System.Reflection;
using System.Text;
using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Squashing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static EfSafeMigrate.IntegrationTests.Squash.SampleSquash;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary>
/// <see cref="SquashedMigrationWriter"/>: the code comes from EF Core Design's C# generator, gets
/// [Replaces] beside [Migration], and compiles against the sample and the EfSafeMigrate library.
/// </summary>
public sealed class SquashedMigrationWriterTests : IDisposable
{
    private readonly SampleSquash _sample = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("squash-writer-").FullName;

    public void Dispose()
    {
        _sample.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_designer_gets_Replaces_on_the_line_after_Migration()
    {
        var plan = _sample.Plan(AddProductSku, AddUniqueSkuIndex);

        var (_, metadata) = SquashedMigrationWriter.Generate(_sample.Design, plan, ContextType);

        var lines = metadata.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var migration = lines.FindIndex(l => l == "    [Migration(\"20261121064240_SquashedAddProductSkuToAddUniqueSkuIndex\")]");
        Assert.True(migration > 0, metadata);
        Assert.Equal(
            "    [global::EfSafeMigrate.Replaces(\"20261121064223_AddProductSku\", \"20261121064229_RenameCustomerName\", \"20261121064240_AddUniqueSkuIndex\")]",
            lines[migration + 1]);
        Assert.Equal("    partial class SquashedAddProductSkuToAddUniqueSkuIndex", lines[migration + 2]);
    }

    [Fact]
    public void A_long_range_lists_one_id_per_line()
    {
        var plan = _sample.Plan(Initial, AddOrdersDropLegacy);

        var (migration, metadata) = SquashedMigrationWriter.Generate(_sample.Design, plan, ContextType);

        Assert.Contains("    [global::EfSafeMigrate.Replaces(\n        \"20261121064216_Initial\",\n        \"20261121064223_AddProductSku\",", metadata.ReplaceLineEndings("\n"));
        Assert.Contains("        \"20261121064259_AddOrdersDropLegacy\")]\n    partial class SquashedInitialToAddOrdersDropLegacy", metadata.ReplaceLineEndings("\n"));
        Assert.Contains("migrationBuilder.Sql(\"INSERT INTO \\\"Categories\\\" (\\\"Name\\\") VALUES ('Music');\");", migration);
        Assert.True(migration.IndexOf("migrationBuilder.Sql(", StringComparison.Ordinal) > migration.LastIndexOf("migrationBuilder.CreateIndex(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AddProductSku, AddUniqueSkuIndex)]
    [InlineData(Initial, AddOrdersDropLegacy)]
    public void The_generated_files_compile_against_the_sample_and_the_library(string from, string to)
    {
        var plan = _sample.Plan(from, to);
        var (migration, metadata) = SquashedMigrationWriter.Generate(_sample.Design, plan, ContextType);

        var compilation = CSharpCompilation.Create(
            "SquashCheck",
            [CSharpSyntaxTree.ParseText(migration), CSharpSyntaxTree.ParseText(metadata)],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);

        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var type = Assembly.Load(output.ToArray()).GetType($"Shop.Migrations.{plan.Name}")!;
        Assert.Equal(plan.Range.MigrationIds, ReplacesAttributeLookup.ReplacedIds(type));
    }

    [Fact]
    public void Write_puts_both_files_in_the_folder_as_EF_Core_writes_them_and_never_overwrites()
    {
        var plan = _sample.Plan(AddProductSku, AddUniqueSkuIndex);

        var files = SquashedMigrationWriter.Write(_sample.Design, plan, ContextType, _folder);

        Assert.Equal(Path.Combine(_folder, plan.Id + ".cs"), files.MigrationFile);
        Assert.Equal(Path.Combine(_folder, plan.Id + ".Designer.cs"), files.MetadataFile);
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), File.ReadAllBytes(files.MigrationFile).Take(3));
        var again = Assert.Throws<SquashRefusedException>(() => SquashedMigrationWriter.Write(_sample.Design, plan, ContextType, _folder));
        Assert.Contains("already exists", again.Message);
    }

    // The test's own dependencies (EF Core, Npgsql, EfSafeMigrate, the sample), except the squash fixture whose types have the sample's names.
    private static IEnumerable<MetadataReference> References()
        => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileNameWithoutExtension(path) != "ShopWithSquash")
            .Append(SampleAssemblyPath)
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
}
