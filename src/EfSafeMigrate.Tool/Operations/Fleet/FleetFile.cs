using System.Text.Json;
using Npgsql;

namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>
/// One database of a fleet, as a line of the fleet file gave it.
/// </summary>
/// <param name="Line">The line of the fleet file it came from (1-based), for messages.</param>
/// <param name="Position">Its position among the fleet's databases (0-based, comments and blank lines not counted): what <c>--shard</c> and <c>--canary</c> count.</param>
/// <param name="DatabaseName">The database's name: the line's name, or the <c>Database</c> of its connection string.</param>
/// <param name="ConnectionString">The line's own connection string (may hold a password; never printed), or null when the line gave only a name.</param>
/// <param name="Label">The <c>label=</c> of the line, or null (then the database name is the label).</param>
/// <param name="Group">The <c>group=</c> of the line, or null.</param>
internal sealed record FleetEntry(int Line, int Position, string DatabaseName, string? ConnectionString, string? Label, string? Group)
{
    /// <summary>How the database is named in progress, the summary and messages: its label, or its name.</summary>
    public string DisplayName => Label ?? DatabaseName;

    /// <summary>
    /// The connection string to migrate it with: the line's own, or <paramref name="server"/> (the <c>--connection</c>
    /// or the application's connection string) with <c>Database</c> set to the line's name.
    /// </summary>
    /// <param name="server">The connection string of the server that names refer to; null when there is none.</param>
    /// <param name="source">How messages name the fleet list.</param>
    /// <exception cref="CommandException">The line gave a name and there is no connection string to take the server from (exit code 2).</exception>
    public string ConnectionStringOn(string? server, string source)
    {
        if (ConnectionString is not null)
        {
            return ConnectionString;
        }

        if (string.IsNullOrEmpty(server))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"{source} line {Line}: '{DatabaseName}' is a database name, and there is no server to find it on: the DbContext has no connection string. Pass --connection with the server's connection string, or give a full connection string on the line. Nothing was changed.");
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName }.ConnectionString;
    }
}

/// <summary>
/// Reads the list of databases of <c>apply --fleet FILE</c> / <c>--connections-from FILE|-</c>.
/// The text format, one database per line:
/// <code>
/// # comment; blank lines are ignored
/// tenant_acme                                   label=acme group=eu
/// Host=db2.internal;Database=tenant_beta;Username=migrator   group=us
/// </code>
/// A line is a database — a PostgreSQL connection string (it contains <c>=</c>) or a database name on the server of
/// <c>--connection</c> (or of the DbContext's own connection string) — followed by optional <c>label=VALUE</c> and
/// <c>group=VALUE</c> attributes separated by whitespace, after it. A value holds no whitespace. A file whose first
/// non-blank character is <c>[</c> is the JSON variant: an array of objects with <c>database</c> (a name) or
/// <c>connection</c> (a connection string), and optional <c>label</c> and <c>group</c> strings. Passwords belong in
/// <c>PGPASSFILE</c>/<c>PGPASSWORD</c> rather than in the file; a password in the file is used and never printed.
/// Two lines for the same database (host, port and name) are refused, naming both lines.
/// </summary>
internal static class FleetFile
{
    private static readonly string[] Attributes = ["label", "group"];

    /// <summary>Parses the text of a fleet file.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="source">How messages name the file (<c>fleet.txt</c>, <c>standard input</c>).</param>
    /// <returns>The databases in the file's order (<see cref="FleetEntry.Position"/> 0, 1, ...).</returns>
    /// <exception cref="CommandException">A malformed line (naming its number), a duplicate database, or no database at all (exit code 2).</exception>
    public static IReadOnlyList<FleetEntry> Parse(string text, string source)
    {
        var entries = text.TrimStart().StartsWith('[') ? ParseJson(text, source) : ParseLines(text, source);
        if (entries.Count == 0)
        {
            throw Error(source, null, "lists no database (one a line: a connection string or a database name, then optional label=... group=...).");
        }

        var seen = new Dictionary<string, FleetEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var key = Identity(entry);
            if (seen.TryGetValue(key, out var first))
            {
                throw Error(source, entry.Line, $"database '{entry.DatabaseName}' is listed twice (also on line {first.Line}); each database may appear once.");
            }

            seen[key] = entry;
        }

        return entries;
    }

    /// <summary>Reads a fleet file, or standard input for <c>-</c>.</summary>
    /// <exception cref="CommandException">The file cannot be read, standard input is a terminal (for <c>-</c>), or the content is malformed (exit code 2).</exception>
    public static IReadOnlyList<FleetEntry> Read(string path, TextReader standardInput)
    {
        if (path == "-")
        {
            if (!Console.IsInputRedirected)
            {
                throw new CommandException(ExitCodes.UsageError,
                    "--connections-from - reads the list from standard input, which is a terminal here: pipe the list in (e.g. psql -At -c \"SELECT ...\" | dotnet safe-migrate apply --connections-from -) or give a file. Nothing was changed.");
            }

            return Parse(standardInput.ReadToEnd(), "standard input");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandException(ExitCodes.UsageError, $"Cannot read the fleet file '{path}': {ex.Message} Nothing was changed.");
        }

        return Parse(text, path);
    }

    private static List<FleetEntry> ParseLines(string text, string source)
    {
        var entries = new List<FleetEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
            string? label = null, group = null;
            while (tokens.Count > 1 && Attribute(tokens[^1]) is { } attribute)
            {
                var value = tokens[^1][(attribute.Length + 1)..];
                if (value.Length == 0)
                {
                    throw Error(source, i + 1, $"'{attribute}=' has no value.");
                }

                if ((attribute == "label" ? label : group) is not null)
                {
                    throw Error(source, i + 1, $"'{attribute}=' is given twice.");
                }

                if (attribute == "label")
                {
                    label = value;
                }
                else
                {
                    group = value;
                }

                tokens.RemoveAt(tokens.Count - 1);
            }

            var database = string.Join(' ', tokens);
            entries.Add(Entry(source, i + 1, entries.Count, database, label, group));
        }

        return entries;
    }

    private static List<FleetEntry> ParseJson(string text, string source)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw Error(source, ex.LineNumber is { } line ? (int)line + 1 : null, $"is not valid JSON: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, null, "must be a JSON array of objects ({\"database\": ...} or {\"connection\": ...}, with optional \"label\" and \"group\").");
        }

        var entries = new List<FleetEntry>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            index++;
            var where = $"item {index}";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, null, $"{where} is not an object.");
            }

            string? Text(string name)
            {
                if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(source, null, $"{where}: \"{name}\" must be a string.");
            }

            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is not ("database" or "connection" or "label" or "group"))
                {
                    throw Error(source, null, $"{where}: unknown property \"{property.Name}\" (expected database, connection, label, group).");
                }
            }

            var database = Text("database");
            var connection = Text("connection");
            if ((database is null) == (connection is null))
            {
                throw Error(source, null, $"{where}: give exactly one of \"database\" (a name) and \"connection\" (a connection string).");
            }

            if (database is not null && database.Contains('=', StringComparison.Ordinal))
            {
                throw Error(source, null, $"{where}: \"database\" is a name; put a connection string in \"connection\".");
            }

            entries.Add(Entry(source, index, entries.Count, (connection ?? database)!, Text("label"), Text("group"), where));
        }

        return entries;
    }

    private static FleetEntry Entry(string source, int line, int position, string database, string? label, string? group, string? where = null)
    {
        if (!database.Contains('=', StringComparison.Ordinal))
        {
            if (database.Contains(' ', StringComparison.Ordinal) || database.Contains(';', StringComparison.Ordinal))
            {
                throw Error(source, where is null ? line : null, $"{where}{(where is null ? "" : ": ")}'{database}' is neither a database name (no spaces or ';') nor a connection string (keyword=value pairs separated by ';').".TrimStart());
            }

            return new FleetEntry(line, position, database, null, label, group);
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(database);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The value may hold a password: the message names the line, never the value.
            throw Error(source, where is null ? line : null, $"{where}{(where is null ? "" : ": ")}the connection string is not valid (expected keyword=value pairs separated by ';': Host, Port, Database, Username, ...).".TrimStart());
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw Error(source, where is null ? line : null, $"{where}{(where is null ? "" : ": ")}the connection string names no Database.".TrimStart());
        }

        return new FleetEntry(line, position, builder.Database, database, label, group);
    }

    // Host, port and name (names only: the server of --connection). Two spellings of one server are not unified.
    private static string Identity(FleetEntry entry)
    {
        if (entry.ConnectionString is null)
        {
            return "\0" + entry.DatabaseName;
        }

        var builder = new NpgsqlConnectionStringBuilder(entry.ConnectionString);
        return $"{builder.Host}\0{builder.Port}\0{builder.Database}";
    }

    private static string? Attribute(string token)
        => Attributes.FirstOrDefault(a => token.StartsWith(a + "=", StringComparison.OrdinalIgnoreCase));

    private static CommandException Error(string source, int? line, string message)
        => new(ExitCodes.UsageError, $"The fleet list {source}{(line is null ? "" : $" line {line}")}: {message} Nothing was changed.");
}
