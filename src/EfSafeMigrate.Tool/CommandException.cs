namespace EfSafeMigrate.Tool;

/// <summary>An expected failure: the message is printed as it is (no stack trace) and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CommandException : Exception
{
    /// <summary>Creates the exception with one of <see cref="ExitCodes"/> and a complete, user-facing message.</summary>
    public CommandException(int exitCode, string message, Exception? inner = null) : base(message, inner) => ExitCode = exitCode;

    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; }
}
