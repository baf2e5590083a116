using System.Diagnostics;
using EfSafeMigrate.Design.Merge;
using EfSafeMigrate.IntegrationTests.Squash;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.IntegrationTests.Merge;

/// <summary>
/// <see cref="RebuiltTargetModel"/> on samples/Shop's target models: the three-way merge of EF Core's snapshot code
/// (by <c>git merge-file</c>, as the tool does), compiled with Roslyn and processed as EF Core processes a snapshot,
/// gives the model the differ finds no difference from; a conflict gives none.
/// </summary>
public sealed class RebuiltTargetModelTests
{
    [Fact]
    public void Rebuilt_on_an_unchanged_other_head_the_target_model_is_the_migrations_own()
    {
        using var sample = new SampleSquash();
        var baseModel = sample.Migrator.GetTargetModel(SampleSquash.AddProductSku)!;
        var own = sample.Migrator.GetTargetModel(SampleSquash.AddUniqueSkuIndex)!;
        var rebuilder = new RebuiltTargetModel(sample.Design, SampleSquash.ContextType, baseModel, baseModel, MergeFile);

        var rebuilt = rebuilder.For(own);

        Assert.NotNull(rebuilt);
        var differ = sample.Design.Services.GetRequiredService<IMigrationsModelDiffer>();
        Assert.Empty(differ.GetDifferences(rebuilt.GetRelationalModel(), own.GetRelationalModel()));
        Assert.NotEmpty(differ.GetDifferences(baseModel.GetRelationalModel(), rebuilt.GetRelationalModel())); // the rename and the index
    }

    [Fact]
    public void A_conflicting_merge_gives_no_model()
    {
        using var sample = new SampleSquash();
        var model = sample.Migrator.GetTargetModel(SampleSquash.Initial)!;
        var rebuilder = new RebuiltTargetModel(sample.Design, SampleSquash.ContextType, model, model, (_, _, _) => null);

        Assert.Null(rebuilder.For(sample.Migrator.GetTargetModel(SampleSquash.AddProductSku)!));
    }

    // git merge-file -p ours base theirs, as MergeOperations runs it; null on conflicts.
    private static string? MergeFile(string @base, string ours, string theirs)
    {
        var folder = Directory.CreateTempSubdirectory("rebuilt-model-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "ours"), ours);
            File.WriteAllText(Path.Combine(folder.FullName, "base"), @base);
            File.WriteAllText(Path.Combine(folder.FullName, "theirs"), theirs);
            using var git = Process.Start(new ProcessStartInfo("git", ["merge-file", "-p", "ours", "base", "theirs"])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
            })!;
            var merged = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? merged : null;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
