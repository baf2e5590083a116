using Npgsql;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Checks the value of <c>--connection</c> before anything uses it: an empty value is an error (it
/// never falls back to the application's own connection string), and so is a value the provider
/// cannot parse (<c>Port=abc</c>, a keyword it does not know, a malformed string). The message names
/// the option and never the value, which may hold a password.
/// </summary>
internal static class ConnectionOption
{
    /// <summary>Throws when <paramref name="value"/> is given but empty or malformed; a null value (option not given) is fine.</summary>
    /// <param name="value">The option's value, or null.</param>
    /// <param name="option">The option's name, for the message (<c>--connection</c>).</param>
    /// <exception cref="CommandException">Exit code 2, naming the option and what is wrong (never the value).</exception>
    public static void Validate(string? value, string option = "--connection")
    {
        if (value is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"{option} is empty. Give a connection string (e.g. --connection \"Host=db;Database=shop;Username=app\", the password in PGPASSWORD or a passfile), " +
                $"or leave {option} out to use the application's own configuration. Nothing was changed.");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"{option} is not a valid PostgreSQL connection string: {Redact(FirstLine(ex.Message), value)}. " +
                "Expected keyword=value pairs separated by ';' (Host, Port, Database, Username, ...; see Npgsql's connection string parameters). Nothing was changed.");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].TrimEnd('.', ' ', '\r');

    /// <summary>Masks every value of the connection string that the provider's message might repeat.</summary>
    private static string Redact(string message, string connectionString)
    {
        foreach (var part in connectionString.Split(';'))
        {
            var equals = part.IndexOf('=');
            var secret = (equals < 0 ? part : part[(equals + 1)..]).Trim();
            if (secret.Length >= 3)
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
