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

    [Fact]
    public void A_document_that_differs_from_its_schema_is_named_with_the_field()
    {
        const string Migration = """{ "id": "20261121064216_Initial", "name": "Initial", "safeName": "Initial", "applied": true, "status": "applied" }""";
        string Status(string migration, int version = 1, string extra = "")
            => $$"""{ "schemaVersion": {{version}}, "context": "Shop.ShopContext", "database": "shop", "migrations": [{{migration}}]{{extra}} }""";

        Assert.Null(MachineOutputSchemas.Problems("status", Status(Migration)));
        Assert.Contains("safeName", MachineOutputSchemas.Problems("status", Status(Migration.Replace("\"safeName\": \"Initial\", ", string.Empty, StringComparison.Ordinal))));
        Assert.Contains("status", MachineOutputSchemas.Problems("status", Status(Migration.Replace("\"applied\" }", "\"done\" }", StringComparison.Ordinal))));
        Assert.NotNull(MachineOutputSchemas.Problems("status", Status(Migration, version: 2)));
        Assert.NotNull(MachineOutputSchemas.Problems("status", Status(Migration, extra: ", \"undocumented\": 1")));
        Assert.NotNull(MachineOutputSchemas.Problems("status", "[]"));
        Assert.Contains("No schema", MachineOutputSchemas.Problems("no such command", "{}"));
    }

    [Fact]
    public void Times_are_checked_as_date_time()
    {
        string Backup(string created)
            => $$"""
               { "schemaVersion": 1, "path": "/b/shop_20261129_120000_x.dump", "file": "shop_20261129_120000_x.dump", "database": "shop",
                 "serverVersion": "17.2", "headMigration": null, "sizeBytes": 15216, "sha256": "{{new string('a', 64)}}",
                 "toolVersion": "0.1.0", "createdUtc": "{{created}}", "format": "custom" }
               """;

        Assert.Null(MachineOutputSchemas.Problems("backup create", Backup("2026-11-29T12:00:00.123+00:00")));
        Assert.NotNull(MachineOutputSchemas.Problems("backup create", Backup("29/11/2026 12:00")));
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
