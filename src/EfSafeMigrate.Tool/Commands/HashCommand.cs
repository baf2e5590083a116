using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
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
        var options = ProjectOptions.AddLocal(command);
        var baseline = command.Option("--baseline", "Also record each DbContext's newest migration as its baseline: the history up to it is accepted as it is, and 'check --build' checks only the migrations after it.", CommandOptionType.NoValue);
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter =>
        {
            var files = MigrationFiles.For(CheckCommand.ScopeFolder(options));
            var written = new SumFiles(files, reporter).WriteAll(baseline.HasValue());
            if (written.Count == 0)
            {
                reporter.Info($"No migrations found under {Path.Combine(files.Root, files.Scope)}.");
            }

            if (reporter.Json)
            {
                reporter.JsonDocument(new HashResult(written));
            }

            return Task.FromResult(ExitCodes.Success);
        }));
    }
}
