using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// Finds the <c>safe-migrate.sum</c> files under a project folder that exist but cannot be used: not
/// readable, or not a valid integrity file (<see cref="SumFile.Parse"/>: garbage, an unknown format, git
/// conflict markers). <c>apply</c> refuses to run over them, since the file is what tells a fork or an
/// edited migration apart. Folders named <c>bin</c> and <c>obj</c> and hidden folders are skipped.
/// </summary>
internal static class SumFileProbe
{
    /// <summary>One problem per unusable file, full path first, ordered by path; empty when every file present is readable and valid.</summary>
    public static IReadOnlyList<string> Problems(string projectDir)
    {
        var problems = new List<string>();
        foreach (var path in Find(projectDir).Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot be read ({ex.Message})");
                continue;
            }

            try
            {
                _ = SumFile.Parse(text);
            }
            catch (SumFileFormatException ex)
            {
                problems.Add(ex.IsConflict
                    ? $"{path}:{ex.Line}: {ex.Reason}. Resolve it: run 'dotnet safe-migrate merge' on the file as it is (it reads both sides and writes the merge migration)"
                    : $"{path}:{ex.Line}: not a valid integrity file ({ex.Reason}). Restore it from git (git checkout -- <file>) or rewrite it with 'dotnet safe-migrate hash'");
            }
        }

        return problems;
    }

    /// <summary>
    /// The migrations the valid <c>safe-migrate.sum</c> files under <paramref name="projectDir"/> list for
    /// <paramref name="context"/> (its short type name, as the files write it), with the file that lists each; unusable files are skipped.
    /// </summary>
    public static IReadOnlyList<(string Id, string File)> ListedMigrations(string projectDir, string context)
    {
        var listed = new List<(string, string)>();
        foreach (var path in Find(projectDir).Order(StringComparer.Ordinal))
        {
            try
            {
                listed.AddRange(SumFile.Parse(File.ReadAllText(path)).Entries.Where(e => e.Context == context).Select(e => (e.Id, path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SumFileFormatException)
            {
                // Reported by Problems.
            }
        }

        return listed;
    }

    /// <summary>The entries the valid <c>safe-migrate.sum</c> files under <paramref name="projectDir"/> hold for <paramref name="context"/> (first of an id wins).</summary>
    public static IReadOnlyList<SumEntry> ListedEntries(string projectDir, string context)
    {
        var entries = new List<SumEntry>();
        foreach (var path in Find(projectDir).Order(StringComparer.Ordinal))
        {
            try
            {
                entries.AddRange(SumFile.Parse(File.ReadAllText(path)).Entries.Where(e => e.Context == context));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SumFileFormatException)
            {
                // Reported by Problems.
            }
        }

        return entries.DistinctBy(e => e.Id).ToList();
    }

    private static IEnumerable<string> Find(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<string> subs, files;
            try
            {
                subs = Directory.EnumerateDirectories(current).ToList();
                files = Directory.EnumerateFiles(current, SumFile.FileName).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var sub in subs)
            {
                var name = Path.GetFileName(sub);
                if (!name.StartsWith('.') && name is not "bin" and not "obj")
                {
                    pending.Push(sub);
                }
            }
        }
    }
}
