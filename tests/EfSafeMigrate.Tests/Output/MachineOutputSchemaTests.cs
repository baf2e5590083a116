using System.Text.Json.Nodes;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.Tests.Output;

/// <summary>
/// The published <c>--json</c> shapes (<c>docs/json/*.schema.json</c>) are valid draft 2020-12 schemas that document
/// every field and pin <c>"schemaVersion"</c>. That each command with <c>--json</c> has one, and that the tool's real
/// output matches it, is checked end to end (<c>MachineOutputTests</c>).
/// </summary>
public class MachineOutputSchemaTests
{
    public static TheoryData<string> Schemas => new(MachineOutputSchemas.Names);

    [Fact]
    public void Docs_json_holds_the_schemas()
    {
        Assert.Contains("status", MachineOutputSchemas.Names);
        Assert.Contains("backup-list", MachineOutputSchemas.Names);
        Assert.All(Directory.GetFiles(MachineOutputSchemas.Folder), f => Assert.True(f.EndsWith(".schema.json", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal), f));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Schema_is_a_valid_draft_2020_12_schema(string name)
    {
        var problems = MachineOutputSchemas.SchemaProblems(name);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Schema_is_an_object_with_schemaVersion_1_first_and_closed(string name)
    {
        var schema = JsonNode.Parse(File.ReadAllText(MachineOutputSchemas.PathOf(name)))!.AsObject();

        Assert.Equal("object", schema["type"]?.GetValue<string>());
        Assert.False(schema["additionalProperties"]?.GetValue<bool>() ?? true, $"{name}: the document's fields must all be listed (\"additionalProperties\": false).");
        var properties = schema["properties"]!.AsObject();
        Assert.Equal("schemaVersion", properties.First().Key);
        Assert.Equal(1, properties["schemaVersion"]!["const"]!.GetValue<int>());
        Assert.Contains("schemaVersion", schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(schema["title"]?.GetValue<string>()), $"{name}: no title");
        Assert.False(string.IsNullOrWhiteSpace(schema["description"]?.GetValue<string>()), $"{name}: no description");
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Every_field_has_a_description(string name)
    {
        var schema = JsonNode.Parse(File.ReadAllText(MachineOutputSchemas.PathOf(name)))!;
        var undocumented = new List<string>();
        Walk(schema, "#", undocumented);

        Assert.True(undocumented.Count == 0, $"{name}: fields without a description: {string.Join(", ", undocumented)}");
    }

    private static void Walk(JsonNode? node, string path, List<string> undocumented)
    {
        if (node is JsonObject obj)
        {
            if (obj["properties"] is JsonObject properties)
            {
                foreach (var (field, value) in properties)
                {
                    if (value is JsonObject property && property["description"] is null && property["$ref"] is null)
                    {
                        undocumented.Add($"{path}/properties/{field}");
                    }
                }
            }

            foreach (var (key, value) in obj)
            {
                Walk(value, $"{path}/{key}", undocumented);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], $"{path}/{i}", undocumented);
            }
        }
    }
}
