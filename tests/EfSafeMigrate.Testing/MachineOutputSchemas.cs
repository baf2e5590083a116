using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;

namespace EfSafeMigrate.Testing;

/// <summary>
/// The published shapes of the tool's <c>--json</c> documents: <c>docs/json/&lt;command&gt;.schema.json</c> (JSON Schema
/// draft 2020-12; a subcommand's file joins the words with <c>-</c>, e.g. <c>backup-list</c>), and a check of a real
/// document against its schema (formats such as <c>date-time</c> are asserted, not only annotated).
/// </summary>
public static class MachineOutputSchemas
{
    /// <summary>The folder of the schemas: <c>docs/json</c> under the repository root.</summary>
    public static string Folder => System.IO.Path.Combine(RepositoryRoot.Path, "docs", "json");

    /// <summary>The schema names (file names without <c>.schema.json</c>), ordinal order.</summary>
    public static IReadOnlyList<string> Names =>
        Directory.GetFiles(Folder, "*.schema.json").Select(f => System.IO.Path.GetFileName(f)[..^".schema.json".Length]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The schema file of a command: <c>status</c> → <c>docs/json/status.schema.json</c>, <c>backup list</c> → <c>backup-list.schema.json</c>.</summary>
    /// <param name="command">The command's words, separated by spaces or <c>-</c>.</param>
    public static string PathOf(string command) => System.IO.Path.Combine(Folder, command.Trim().Replace(' ', '-') + ".schema.json");

    /// <summary>
    /// Problems of a schema file as a schema: not JSON, not valid against the draft 2020-12 meta-schema, or not
    /// declaring that dialect. Empty when it is a valid schema.
    /// </summary>
    /// <param name="name">The schema's name (see <see cref="Names"/>).</param>
    public static IReadOnlyList<string> SchemaProblems(string name)
    {
        var path = PathOf(name);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException e)
        {
            return [$"{path} is not JSON: {e.Message}"];
        }

        var problems = new List<string>();
        if (node?["$schema"]?.GetValue<string>() != "https://json-schema.org/draft/2020-12/schema")
        {
            problems.Add($"{path}: \"$schema\" must be https://json-schema.org/draft/2020-12/schema.");
        }

        var results = MetaSchemas.Draft202012.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            problems.Add($"{path} is not a valid draft 2020-12 schema:{Environment.NewLine}{Describe(results)}");
        }

        try
        {
            _ = JsonSchema.FromFile(path);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or JsonSchemaException or InvalidOperationException)
        {
            problems.Add($"{path} cannot be loaded as a schema: {e.Message}");
        }

        return problems;
    }

    /// <summary>
    /// Checks one <c>--json</c> document against its command's schema.
    /// </summary>
    /// <param name="command">The command's words (<c>backup list</c>).</param>
    /// <param name="stdout">The tool's whole stdout.</param>
    /// <returns>Null when the document is valid; otherwise what is wrong, with the document.</returns>
    public static string? Problems(string command, string stdout)
    {
        var path = PathOf(command);
        if (!File.Exists(path))
        {
            return $"No schema for '{command}': {path} does not exist.";
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(stdout);
        }
        catch (System.Text.Json.JsonException e)
        {
            return $"stdout of '{command}' is not one JSON document ({e.Message}):{Environment.NewLine}{stdout}";
        }

        var schema = JsonSchema.FromFile(path);
        var results = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return results.IsValid
            ? null
            : $"The --json document of '{command}' does not match {path}:{Environment.NewLine}{Describe(results)}{Environment.NewLine}Document:{Environment.NewLine}{stdout}";
    }

    private static string Describe(EvaluationResults results)
    {
        var text = new StringBuilder();
        foreach (var detail in results.Details.Where(d => d.HasErrors))
        {
            foreach (var (keyword, message) in detail.Errors!)
            {
                text.AppendLine($"  at {detail.InstanceLocation} ({detail.EvaluationPath}, {keyword}): {message}");
            }
        }

        return text.ToString();
    }
}
