using System.Text;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Writes a squashed migration with EF Core Design's C# generator, as <c>dotnet ef migrations add</c>
/// writes one: the migration file from <c>GenerateMigration</c> (the plan's Up and Down), the designer
/// from <c>GenerateMetadata</c> (TO's target model), with <see cref="ReplacesAttribute"/> added beside
/// <c>[Migration]</c>. Files are UTF-8 with a byte order mark, as EF Core writes them. The model
/// snapshot is left alone: it already matches the newest migration.
/// </summary>
public static class SquashedMigrationWriter
{
    /// <summary>Generates the code of the two files without writing them.</summary>
    /// <param name="design">EF Core Design's services for the context.</param>
    /// <param name="plan">The squash.</param>
    /// <param name="contextType">The DbContext type (for <c>[DbContext(typeof(...))]</c>).</param>
    /// <returns>The migration code and the designer code.</returns>
    public static (string MigrationCode, string MetadataCode) Generate(DesignTimeServices design, SquashPlan plan, Type contextType)
    {
        var generator = design.CSharpGenerator;
        var migrationCode = generator.GenerateMigration(plan.Namespace, plan.Name, plan.Up, plan.Down);
        var metadataCode = generator.GenerateMetadata(plan.Namespace, contextType, plan.Name, plan.Id, plan.TargetModel);
        metadataCode = ReplacesAttributeText.Insert(metadataCode, plan.Id, plan.Range.MigrationIds, design.Services.GetRequiredService<ICSharpHelper>());
        return (migrationCode, metadataCode);
    }

    /// <summary>Generates and writes the two files into <paramref name="directory"/> (the replaced migrations' folder).</summary>
    /// <param name="design">EF Core Design's services for the context.</param>
    /// <param name="plan">The squash.</param>
    /// <param name="contextType">The DbContext type.</param>
    /// <param name="directory">The folder of the replaced migrations.</param>
    /// <exception cref="SquashRefusedException">A file of that name already exists (nothing is written).</exception>
    public static SquashedMigrationFiles Write(DesignTimeServices design, SquashPlan plan, Type contextType, string directory)
    {
        var extension = design.CSharpGenerator.FileExtension;
        var files = new SquashedMigrationFiles(
            Path.Combine(directory, plan.Id + extension),
            Path.Combine(directory, plan.Id + ".Designer" + extension));
        foreach (var path in new[] { files.MigrationFile, files.MetadataFile })
        {
            if (File.Exists(path))
            {
                throw new SquashRefusedException(SquashRefusalKind.Usage,
                    $"'{path}' already exists. Delete it if it is a leftover of an earlier squash, or choose another name with --name.");
            }
        }

        var (migrationCode, metadataCode) = Generate(design, plan, contextType);
        File.WriteAllText(files.MigrationFile, migrationCode, Encoding.UTF8);
        File.WriteAllText(files.MetadataFile, metadataCode, Encoding.UTF8);
        return files;
    }
}
