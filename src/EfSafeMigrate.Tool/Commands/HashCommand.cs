using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>hash</c>: (re)writes <c>safe-migrate.sum</c> in every migrations folder under the scope.
/// Recorded migrations keep their parents; new ones follow the migration before them by id.
/// <c>--baseline</c> also records each context's newest migration as its baseline (the history up
/// to it is accepted as it is; <c>check --build</c> checks only what follows).
/// </summary>
internal static class HashCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Write safe-migrate.sum for every migrations folder (ids, parents, hashes, head).";
        var options = ProjectOptions.Add(command);
        var baseline = command.Option("--baseline", "Also record each DbContext's newest migration as its baseline: the history up to it is accepted as it is, and 'check --build' checks only the migrations after it.", CommandOptionType.NoValue);
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter =>
        {
            var files = MigrationFiles.For(CheckCommand.ScopeFolder(options));
            var written = Write(files, reporter, baseline.HasValue());
            if (written == 0)
            {
                reporter.Info($"No migrations found under {Path.Combine(files.Root, files.Scope)}.");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
    }

    /// <summary>Writes the integrity file of every migrations folder of the working tree; returns how many folders have one.</summary>
    /// <param name="files">Where the migrations are.</param>
    /// <param name="reporter">Where to say what was written.</param>
    /// <param name="baseline">True to record each context's newest migration as its baseline (<see cref="SumFileBuilder.Build"/>).</param>
    /// <exception cref="CommandException">A file could not be written in a form its reader accepts (nothing is written for that folder).</exception>
    public static int Write(MigrationFiles files, Output.Reporter reporter, bool baseline = false)
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

            var sum = SumFileBuilder.Build(folder.Migrations, previous, baseline);
            var path = files.FullPath(IntegrityChecker.SumPath(folder.Folder));
            string text;
            try
            {
                text = sum.Format(); // reads the text back and throws when it would not give the same lines
            }
            catch (InvalidOperationException ex)
            {
                throw new CommandException(ExitCodes.ProblemsFound, $"{IntegrityChecker.SumPath(folder.Folder)}: {ex.Message}");
            }

            var changed = folder.SumText != text;
            if (changed)
            {
                File.WriteAllText(path, text);
            }

            count++;
            reporter.Info($"{(changed ? "Wrote" : "Up to date:")} {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)} ({sum.Entries.Count} migration(s); head {string.Join(", ", sum.Heads.Select(h => $"{h.Context} {h.Id}"))}" +
                          $"{(sum.Baselines.Count == 0 ? string.Empty : $"; baseline {string.Join(", ", sum.Baselines.Select(b => $"{b.Context} {b.Id}"))}")}).");
            if (folder.SumText is null && !baseline && sum.Entries.Count > 1)
            {
                reporter.Info("To accept this existing history as it is (so 'check --build' checks only migrations added from now on), run: dotnet safe-migrate hash --baseline");
            }
        }

        return count;
    }
}
