namespace EfSafeMigrate.Testing;

/// <summary>Finds the repository's root folder from a test assembly's output folder.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    /// <summary>
    /// The nearest folder above <see cref="AppContext.BaseDirectory"/> that holds <c>EfSafeMigrate.sln</c>,
    /// <c>EfSafeMigrate.slnx</c> or <c>global.json</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such folder (the tests run outside the repository).</exception>
    public static string Path => s_path.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EfSafeMigrate.sln"))
                || File.Exists(System.IO.Path.Combine(dir.FullName, "EfSafeMigrate.slnx"))
                || File.Exists(System.IO.Path.Combine(dir.FullName, "global.json")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"No folder above '{AppContext.BaseDirectory}' holds EfSafeMigrate.sln or global.json: cannot find the repository root.");
    }
}
