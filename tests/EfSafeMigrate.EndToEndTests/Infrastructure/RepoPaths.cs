namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>Paths inside the repository, found by walking up to <c>EfSafeMigrate.sln</c>.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root (the folder holding EfSafeMigrate.sln).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary><c>&lt;root&gt;/.tmp/e2e</c>: packages, installed tools and scratch folders (git-ignored).</summary>
    public static string E2eTemp => Path.Combine(Root, ".tmp", "e2e");

    public static string ToolProject => Path.Combine(Root, "src", "EfSafeMigrate.Tool", "EfSafeMigrate.Tool.csproj");

    public static string ShopProject => Path.Combine(Root, "samples", "Shop", "Shop.csproj");

    public static string FailingFixtureProject =>
        Path.Combine(Root, "tests", "Fixtures", "ShopWithFailingMigration", "ShopWithFailingMigration.csproj");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EfSafeMigrate.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"EfSafeMigrate.sln not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}.");
    }
}
