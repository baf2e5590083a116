using System.Globalization;
using System.Text;
using System.Text.Json;
using EfSafeMigrate.Lint;

namespace EfSafeMigrate.Tool.Configuration;

/// <summary>
/// One project entry of <c>projects</c> in <c>safe-migrate.json</c>: a migrations project with its startup project and DbContext.
/// </summary>
/// <param name="Project">Full path of the project (file or folder).</param>
/// <param name="StartupProject">Full path of the startup project, or null.</param>
/// <param name="Context">The DbContext, or null.</param>
internal sealed record ConfiguredProject(string Project, string? StartupProject, string? Context);

/// <summary>
/// A <c>safe-migrate.json</c> as read: every scalar value (normalised: paths made absolute against the file's
/// folder) with the line it is on, the lint severities, the project list. Reading is strict, like Atlas's
/// <c>atlas.sum</c> validation: invalid JSON, an unknown key, a value of the wrong type or out of range is a
/// configuration error (exit 2) naming the file, the line and the key. Comments and trailing commas are allowed.
/// </summary>
internal sealed class ConfigFile
{
    /// <summary>The file name looked for.</summary>
    public const string FileName = "safe-migrate.json";

    /// <summary>The <c>$schema</c> value <c>init</c> writes: the schema published with the tool's sources.</summary>
    public const string SchemaUrl = "https://raw.githubusercontent.com/EfSafeMigrate/EfSafeMigrate/main/docs/safe-migrate.schema.json";

    private static readonly JsonDocumentOptions ParseOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] TopLevelKeys = ["$schema", "project", "startupProject", "context", "projects", "backup", "check", "timeouts", "lint", "fleet"];

    private static readonly string[] ProjectKeys = ["project", "startupProject", "context"];

    private ConfigFile(string path)
    {
        Path = path;
        Folder = System.IO.Path.GetDirectoryName(path)!;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The folder the file is in (relative paths in it are relative to this folder).</summary>
    public string Folder { get; }

    /// <summary>Scalar values by key (<c>backup.dir</c>), with their 1-based line.</summary>
    public IReadOnlyDictionary<string, (string Value, int Line)> Values => _values;

    /// <summary>Lint severities by rule code (<c>SM512</c> → warning), with their line.</summary>
    public IReadOnlyDictionary<string, (LintSeverity Severity, int Line)> Severities => _severities;

    /// <summary>The <c>projects</c> list, in file order (empty when absent).</summary>
    public IReadOnlyList<ConfiguredProject> Projects => _projects;

    private readonly Dictionary<string, (string Value, int Line)> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (LintSeverity Severity, int Line)> _severities = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConfiguredProject> _projects = [];

    /// <summary>
    /// The nearest <c>safe-migrate.json</c>: in <paramref name="startFolder"/>, then each parent folder, up to and
    /// including the git work tree's root (the first folder holding <c>.git</c>, a folder or a file); up to the
    /// file system's root outside a work tree. Null when there is none.
    /// </summary>
    public static string? Find(string startFolder)
    {
        for (var folder = new DirectoryInfo(System.IO.Path.GetFullPath(startFolder)); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            var git = System.IO.Path.Combine(folder.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Reads and checks the file.</summary>
    /// <exception cref="CommandException">Unreadable, invalid JSON, unknown key, wrong type or value (exit 2; the message names file, line and key).</exception>
    public static ConfigFile Load(string path)
    {
        var file = new ConfigFile(System.IO.Path.GetFullPath(path));
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandException(ExitCodes.UsageError, $"{file.Path}: cannot read the configuration file: {ex.Message}");
        }

        var span = bytes.AsSpan();
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            span = span[Encoding.UTF8.Preamble.Length..];
        }

        var text = span.ToArray();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, ParseOptions);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            throw new CommandException(ExitCodes.UsageError,
                $"{file.Path}:{line}: invalid JSON: {FirstSentence(ex.Message)}. Fix the file (its schema: docs/safe-migrate.schema.json) and run the command again.");
        }

        using (document)
        {
            var lines = PropertyLines(text);
            file.Read(document.RootElement, lines);
        }

        return file;
    }

    private void Read(JsonElement root, Dictionary<string, int> lines)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(1, null, "the file must hold one JSON object ({ ... })");
        }

        foreach (var property in root.EnumerateObject())
        {
            var key = property.Name;
            var line = lines.GetValueOrDefault(key, 1);
            switch (key)
            {
                case "$schema":
                    _ = String(property.Value, key, line);
                    break;
                case "project" or "startupProject" or "context" or "fleet":
                    Scalar(property.Value, key, line);
                    break;
                case "backup" or "check" or "timeouts":
                    foreach (var child in Object(property.Value, key, line).EnumerateObject())
                    {
                        var childKey = $"{key}.{child.Name}";
                        Scalar(child.Value, childKey, lines.GetValueOrDefault(childKey, line));
                    }

                    break;
                case "lint":
                    ReadLint(Object(property.Value, key, line), lines, line);
                    break;
                case "projects":
                    ReadProjects(property.Value, lines, line);
                    break;
                default:
                    throw Unknown(line, key, TopLevelKeys);
            }
        }
    }

    private void Scalar(JsonElement value, string key, int line)
    {
        var definition = SettingDefinition.All.FirstOrDefault(d => d.Key == key && d.Kind != SettingKind.Secret);
        if (definition is null)
        {
            var section = key.Contains('.') ? key[..key.IndexOf('.')] : null;
            throw Unknown(line, key, SettingDefinition.All.Where(d => d.Kind != SettingKind.Secret && (section is null ? !d.Key.Contains('.') : d.Key.StartsWith(section + ".", StringComparison.Ordinal)))
                .Select(d => d.Key).ToArray());
        }

        string text;
        if (definition.Kind is SettingKind.WholeNumber or SettingKind.Number)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw Error(line, key, $"expected a number, found {Describe(value)}");
            }

            text = value.GetRawText();
        }
        else
        {
            text = String(value, key, line);
        }

        var (normalised, error) = definition.Normalise(text, Folder);
        _values[key] = normalised is null ? throw Error(line, key, error!) : (normalised, line);
    }

    private void ReadLint(JsonElement lint, Dictionary<string, int> lines, int lintLine)
    {
        var rules = new LintOptions().Rules;
        foreach (var child in lint.EnumerateObject())
        {
            var key = "lint." + child.Name;
            var line = lines.GetValueOrDefault(key, lintLine);
            if (child.Name != "severities")
            {
                Scalar(child.Value, key, line);
                continue;
            }

            foreach (var rule in Object(child.Value, key, line).EnumerateObject())
            {
                var ruleKey = $"{key}.{rule.Name}";
                var ruleLine = lines.GetValueOrDefault(ruleKey, line);
                if (rules.Find(rule.Name) is null)
                {
                    throw Error(ruleLine, ruleKey, $"unknown lint rule '{rule.Name}' (known: {string.Join(", ", rules.Rules.Select(r => r.Code))})");
                }

                var level = String(rule.Value, ruleKey, ruleLine);
                if (!Enum.TryParse<LintSeverity>(level, ignoreCase: true, out var severity) || int.TryParse(level, out _))
                {
                    throw Error(ruleLine, ruleKey, $"'{level}' is not a severity (error, warning or info)");
                }

                _severities[rule.Name] = (severity, ruleLine);
            }
        }
    }

    private void ReadProjects(JsonElement value, Dictionary<string, int> lines, int line)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(line, "projects", $"expected a list of {{ \"project\": ..., \"startupProject\": ..., \"context\": ... }}, found {Describe(value)}");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemKey = $"projects[{index}]";
            var itemLine = lines.GetValueOrDefault(itemKey + ".project", line);
            string? project = null, startup = null, context = null;
            foreach (var property in Object(item, itemKey, itemLine).EnumerateObject())
            {
                var key = $"{itemKey}.{property.Name}";
                var propertyLine = lines.GetValueOrDefault(key, itemLine);
                var text = property.Name switch
                {
                    "project" or "startupProject" or "context" => String(property.Value, key, propertyLine),
                    _ => throw Unknown(propertyLine, key, ProjectKeys),
                };
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw Error(propertyLine, key, "an empty value");
                }

                switch (property.Name)
                {
                    case "project": project = System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, text)); break;
                    case "startupProject": startup = System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, text)); break;
                    default: context = text; break;
                }
            }

            _projects.Add(new ConfiguredProject(project ?? throw Error(itemLine, itemKey, "every entry of 'projects' needs \"project\""), startup, context));
            index++;
        }
    }

    private JsonElement Object(JsonElement value, string key, int line)
        => value.ValueKind == JsonValueKind.Object ? value : throw Error(line, key, $"expected an object ({{ ... }}), found {Describe(value)}");

    private string String(JsonElement value, string key, int line)
        => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(line, key, $"expected a string, found {Describe(value)}");

    private CommandException Unknown(int line, string key, IReadOnlyCollection<string> known)
        => Error(line, key, $"unknown key (known here: {string.Join(", ", known)})");

    private CommandException Error(int line, string? key, string what)
        => new(ExitCodes.UsageError,
            $"{Path}:{line}: {(key is null ? string.Empty : $"'{key}': ")}{what}. Fix the file (its schema: docs/safe-migrate.schema.json; 'dotnet safe-migrate config show' prints what is in effect).");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };

    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
        }

        return message.TrimEnd('.', ' ');
    }

    /// <summary>The 1-based line of every property, by dotted path (<c>backup.dir</c>, <c>projects[0].project</c>).</summary>
    private static Dictionary<string, int> PropertyLines(byte[] json)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();       // the container stack: property names and [index] parts
        var indexes = new Stack<int>();      // for arrays: the next element index
        string? pendingProperty = null;
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        int LineOf(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        string Join(string last) => string.Concat(path.Append(last).Select((p, i) => i == 0 || p.StartsWith('[') ? p : "." + p));

        void EnterValue(bool container)
        {
            string? part = pendingProperty;
            pendingProperty = null;
            if (part is null && indexes.Count > 0 && indexes.Peek() >= 0)
            {
                var index = indexes.Pop();
                indexes.Push(index + 1);
                part = $"[{index.ToString(CultureInfo.InvariantCulture)}]";
            }

            if (container)
            {
                path.Add(part ?? string.Empty);
            }
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    lines.TryAdd(Join(name).TrimStart('.'), LineOf(reader.TokenStartIndex));
                    pendingProperty = name;
                    break;
                case JsonTokenType.StartObject:
                    EnterValue(container: true);
                    indexes.Push(-1);
                    break;
                case JsonTokenType.StartArray:
                    EnterValue(container: true);
                    indexes.Push(0);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    indexes.Pop();
                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    EnterValue(container: false);
                    break;
            }
        }

        return lines;
    }
}
