namespace EfSafeMigrate.Tool.Projects;

/// <summary>
/// Finds the project file from the <c>--project</c>/<c>--startup-project</c> option the way
/// <c>dotnet ef</c> does: a project file, or a folder holding exactly one project file; the
/// current folder when the option is not given.
/// </summary>
internal static class ProjectLocator
{
    /// <summary>Full path of the project file.</summary>
    /// <exception cref="CommandException">No project, or more than one, was found (exit code 2).</exception>
    public static string Locate(string? path)
    {
        var full = Path.GetFullPath(string.IsNullOrEmpty(path) ? Directory.GetCurrentDirectory() : path);
        if (File.Exists(full))
        {
            return full;
        }

        if (!Directory.Exists(full))
        {
            throw new CommandException(ExitCodes.UsageError, $"The project '{path}' does not exist. Pass a project file or its folder with --project.");
        }

        var projects = Directory.GetFiles(full, "*.*proj").Where(f => !f.EndsWith(".xproj", StringComparison.OrdinalIgnoreCase)).ToList();
        return projects.Count switch
        {
            1 => projects[0],
            0 => throw new CommandException(ExitCodes.UsageError, $"No project was found in '{full}'. Change the current folder or use the --project option."),
            _ => throw new CommandException(ExitCodes.UsageError, $"More than one project was found in '{full}'. Name one with --project <file>."),
        };
    }
}
