using System.Text;

namespace EfSafeMigrate.Tool.Hooks;

/// <summary>
/// The text of safe-migrate's git pre-commit hook: a POSIX <c>sh</c> script that first runs the
/// hook it replaced (kept beside it as <see cref="ChainedFileName"/>, run only when executable,
/// as git would, with the same arguments and standard input; its failure stops the commit),
/// then, when the staged changes touch C# files or <c>safe-migrate.sum</c>, runs
/// <c>check --staged</c> (with <c>--against REF</c> when installed with one: the semantic conflict check against the
/// base branch, still without a build) and blocks the commit when the check fails. When the tool itself cannot be run (not
/// installed, or not on the PATH a GUI git client gives hooks; exit 126/127, or <c>--version</c> fails too), it
/// says so and how to install it or set its path, rather than reporting a failed check. The script carries
/// <see cref="Marker"/>, which tells safe-migrate's hook from any other.
/// </summary>
internal static class PreCommitHookScript
{
    /// <summary>The hook's file name in the hooks folder.</summary>
    public const string HookFileName = "pre-commit";

    /// <summary>The name the replaced hook is kept under, beside the hook.</summary>
    public const string ChainedFileName = "pre-commit.pre-safe-migrate";

    /// <summary>The command the hook runs by default (global tools, local tool manifests and tool folders on PATH).</summary>
    public const string DefaultCommand = "dotnet safe-migrate";

    /// <summary>The comment line that marks the hook as safe-migrate's (second line of the script).</summary>
    public const string Marker = "# dotnet-safe-migrate pre-commit hook";

    /// <summary>The script, with LF line endings.</summary>
    /// <param name="command">The command that starts the tool, as a shell command line (e.g. <c>dotnet safe-migrate</c> or an absolute path); one line.</param>
    /// <param name="project">The scope passed to <c>check</c> as <c>-p</c> (relative to the top level of the working tree, <c>/</c>-separated, or absolute); null for the whole repository.</param>
    /// <param name="against">The git ref passed to <c>check</c> as <c>--against</c> (the base branch whose migrations since the fork the
    /// staged ones are compared with), or null for none.</param>
    /// <exception cref="ArgumentException"><paramref name="command"/> is empty or spans several lines.</exception>
    public static string Render(string command, string? project, string? against = null)
    {
        var check = CheckLine(command, project, against);
        var probe = Probe(command);
        var display = command.Trim().Replace("\"", "'", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal);
        var text = $$"""
            #!/bin/sh
            {{Marker}}
            # Written by 'dotnet safe-migrate hook install'; 'dotnet safe-migrate hook uninstall' removes it
            # and puts back the hook it replaced. Edits made here are lost when it is installed again.
            #
            # 1. The pre-commit hook that was here before, if any, is kept beside this file as
            #    {{ChainedFileName}}. It runs first, with the same arguments and input, when it is
            #    executable (as git would run it); when it fails, the commit stops.
            # 2. When the staged changes touch C# files or safe-migrate.sum, 'check --staged' checks the
            #    migrations as they will be committed (it never builds) and blocks the commit on problems;
            #    with --against, also against the base branch's migrations since the fork (SM203: both touch
            #    the same table or column).
            # Git runs hooks from the top level of the working tree.

            previous="$(dirname "$0")/{{ChainedFileName}}"
            if [ -x "$previous" ]; then
                "$previous" "$@" || exit $?
            fi

            if git diff --cached --quiet -- '*.cs' '*safe-migrate.sum'; then
                exit 0
            fi

            {{check}}
            status=$?
            if [ "$status" -ne 0 ]; then
                # Told apart from a failed check only when it failed: does the tool start at all?
                if [ "$status" -eq 126 ] || [ "$status" -eq 127 ] || ! {{probe}} >/dev/null 2>&1; then
                    echo "safe-migrate: commit blocked: the tool could not be run (exit $status; command: {{display}}), so the migrations were not checked." >&2
                    echo "safe-migrate: install it (dotnet tool install --global dotnet-safe-migrate, or 'dotnet tool restore' for a tool manifest), or, when it is installed but not on the PATH git gives hooks (GUI git clients often have a short PATH), set its full path: dotnet safe-migrate hook install --command <path of dotnet-safe-migrate>" >&2
                else
                    echo "safe-migrate: commit blocked: the migrations check failed (exit $status); the messages above say what is wrong and how to fix it." >&2
                fi
                echo "safe-migrate: to commit anyway in an emergency: git commit --no-verify" >&2
                exit "$status"
            fi

            """;
        return text.ReplaceLineEndings("\n");
    }

    /// <summary>The line of the script that runs the check: <c>&lt;command&gt; check --staged [-p '&lt;project&gt;'] [--against '&lt;ref&gt;']</c>.</summary>
    /// <param name="command">See <see cref="Render"/>.</param>
    /// <param name="project">See <see cref="Render"/>.</param>
    /// <param name="against">See <see cref="Render"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="command"/> is empty or spans several lines, or <paramref name="against"/> does.</exception>
    public static string CheckLine(string command, string? project, string? against = null)
    {
        if (against is not null && (string.IsNullOrWhiteSpace(against) || against.Contains('\n') || against.Contains('\r')))
        {
            throw new ArgumentException("The ref must be one non-empty line.", nameof(against));
        }

        if (string.IsNullOrWhiteSpace(command) || command.Contains('\n') || command.Contains('\r'))
        {
            throw new ArgumentException("The command must be one non-empty line.", nameof(command));
        }

        return CommandLine(command, " check --staged" + (project is null ? string.Empty : " -p " + Quote(project)) + (against is null ? string.Empty : " --against " + Quote(against)));
    }

    // Whether the tool can be started, asked only after a failed check, without running the check again: a
    // program on PATH or at a path is taken as runnable (so a wrapper script is not run twice); through the dotnet
    // host (the default command, or a custom 'dotnet ...') only '--version' tells whether the tool is installed.
    private static string Probe(string command)
    {
        var program = command.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        if (command.Trim() == DefaultCommand)
        {
            return $"{{ command -v {DirectExecutable} || {DefaultCommand} --version; }}";
        }

        return program == "dotnet"
            ? "{ " + command.Trim() + " --version; }"
            : $"{{ command -v {Quote(program.Trim('\'', '"'))}; }}";
    }

    // The command with arguments; the default command runs the executable itself when it is on PATH.
    private static string CommandLine(string command, string arguments)
    {
        if (command.Trim() == DefaultCommand)
        {
            // The executable itself when it is on PATH (global tools are): it skips the dotnet host's
            // own start-up, about 140 ms of every commit; else through dotnet (local tool manifests).
            return $"if command -v {DirectExecutable} >/dev/null 2>&1; then {DirectExecutable}{arguments}; else {DefaultCommand}{arguments}; fi";
        }

        return command.Trim() + arguments;
    }

    /// <summary>The tool's own executable name, on PATH for global tools and tool folders.</summary>
    public const string DirectExecutable = "dotnet-safe-migrate";

    /// <summary>True when <paramref name="content"/> (a hook file's bytes) is safe-migrate's hook.</summary>
    public static bool IsOurs(ReadOnlySpan<byte> content) => content.IndexOf(Encoding.ASCII.GetBytes(Marker)) >= 0;

    /// <summary>A POSIX sh single-quoted word: <c>'it'\''s'</c>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
