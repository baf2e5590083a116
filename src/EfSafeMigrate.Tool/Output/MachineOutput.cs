using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// The <c>--json</c> documents: one JSON object per run on stdout, camelCase names, enums in kebab-case, times as
/// UTC ISO-8601, sizes in bytes, durations in milliseconds, and a first property <c>"schemaVersion"</c>. Each
/// command's shape is documented in <c>docs/json/&lt;command&gt;.schema.json</c> (JSON Schema draft 2020-12;
/// <c>backup-list.schema.json</c> for a subcommand). Policy: adding a field keeps <see cref="SchemaVersion"/>;
/// removing, renaming or retyping one raises it (consumers ignore fields they do not know).
/// </summary>
internal static class MachineOutput
{
    /// <summary>The version of every <c>--json</c> document's shape; written as <c>"schemaVersion"</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The name of the version property, first in every document.</summary>
    public const string SchemaVersionProperty = "schemaVersion";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Machine output is not HTML: "<", ">", "&" and "'" stay as they are (still valid JSON).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// Serializes a command's result as its <c>--json</c> document: <c>"schemaVersion"</c> first, then the result's
    /// properties in declaration order.
    /// </summary>
    /// <param name="result">A record or anonymous object; a document is always an object, so that fields can be added later.</param>
    /// <returns>The indented JSON text (no trailing newline).</returns>
    /// <exception cref="InvalidOperationException">The result does not serialize to a JSON object (an array or a value): a programming error.</exception>
    public static string Serialize(object result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (JsonSerializer.SerializeToNode(result, result.GetType(), Options) is not JsonObject body)
        {
            throw new InvalidOperationException($"A --json document must be a JSON object with named properties, not {result.GetType().Name}.");
        }

        if (body.ContainsKey(SchemaVersionProperty))
        {
            throw new InvalidOperationException($"{result.GetType().Name} must not declare '{SchemaVersionProperty}': MachineOutput writes it.");
        }

        var document = new JsonObject { [SchemaVersionProperty] = SchemaVersion };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            document[name] = value;
        }

        return document.ToJsonString(Options);
    }
}
