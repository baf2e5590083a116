using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>hash</c>: (re)writes <c>safe-migrate.sum</c> in every migrations folder under the scope.
/// Recorded migrations keep their parents; new ones follow the migration before them by id.
/// </summary>
public static class HashCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Write safe-migrate.sum for every migrations folder (ids, parents, hashes, head).";
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter =>
        {
            var files = MigrationFiles.For(CheckCommand.ScopeFolder(options));
            var written = Write(files, reporter);
            if (written == 0)
            {
                reporter.Info($"No migrations found under {Path.Combine(files.Root, files.Scope)}.");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
    }

    /// <summary>Writes the integrity file of every migrations folder of the working tree; returns how many folders have one.</summary>
    public static int Write(MigrationFiles files, Output.Reporter reporter)
    {
        var count = 0;
        foreach (var folder in MigrationFolder.From(files.FromWorkingTree()).Where(f => f.Migrations.Count > 0))
        {
            SumFile? previous = null;
            if (folder.SumText is not null)
            {
                try
                {
                    previous = SumFile.ParseMergingConflicts(folder.SumText);
                }
                catch (SumFileFormatException ex)
                {
                    reporter.Warning($"{IntegrityChecker.SumPath(folder.Folder)} could not be read ({ex.Message}); parents are taken from the id order.");
                }
            }

            var sum = SumFileBuilder.Build(folder.Migrations, previous);
            var path = files.FullPath(IntegrityChecker.SumPath(folder.Folder));
            var text = sum.Format();
            var changed = folder.SumText != text;
            if (changed)
            {
                File.WriteAllText(path, text);
            }

            count++;
            reporter.Info($"{(changed ? "Wrote" : "Up to date:")} {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)} ({sum.Entries.Count} migration(s); head {string.Join(", ", sum.Heads.Select(h => $"{h.Context} {h.Id}"))}).");
        }

        return count;
    }
}
