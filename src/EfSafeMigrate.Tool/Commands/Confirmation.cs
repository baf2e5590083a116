namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// Asks before destructive work. Never prompts when standard input is not a terminal: then
/// <c>--yes</c> is required (exit code 3 without it), so scripts and pipelines never hang.
/// </summary>
internal static class Confirmation
{
    /// <summary>Returns when confirmed; throws otherwise.</summary>
    /// <param name="yes">The <c>--yes</c> option was given.</param>
    /// <param name="question">What will happen, as a question.</param>
    /// <exception cref="CommandException">Input is not a terminal and no --yes (exit 3), or the answer was not yes (exit 1).</exception>
    public static void Require(bool yes, string question)
    {
        if (yes)
        {
            return;
        }

        if (Console.IsInputRedirected)
        {
            throw new CommandException(ExitCodes.InputRequired, $"{question} Confirmation is needed, but input is not a terminal: pass --yes to confirm. Nothing was changed.");
        }

        Console.Error.Write($"{question} [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new CommandException(ExitCodes.ProblemsFound, "Not confirmed. Nothing was changed.");
        }
    }
}
