using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Conflicts;

/// <summary>
/// Reads the schema operations of a migration's <c>Up</c> method from its C# source as a Roslyn syntax tree, without
/// building anything (the fast tier: <c>check --against</c>). Each <c>migrationBuilder.X(...)</c> call whose
/// receiver is <c>Up</c>'s <see cref="MigrationBuilder"/> parameter becomes the EF Core operation that call builds
/// (<c>AddColumn</c> → <see cref="AddColumnOperation"/>, ...), with the names it is given, so that
/// <see cref="Footprint.OperationFootprint"/> answers "what does it touch" for code read as text exactly as for a
/// built migration. Arguments may be named or positional: a positional argument's name is the parameter's name at
/// that position in <see cref="MigrationBuilder"/>'s own method (read by reflection, so EF Core's signatures are
/// the one source). Only constant values are read: string literals (regular, verbatim, raw, and
/// <c>"a" + "b"</c>), the text parts of interpolated strings, <c>null</c>, <c>true</c>/<c>false</c>, and string
/// arrays (<c>new[] { "A", "B" }</c>, <c>new string[] { ... }</c>, <c>["A", "B"]</c>). <c>CreateTable</c> gives its
/// columns (the <c>name:</c> of each <c>table.Column</c>, else the anonymous member's name) and the foreign keys of
/// its <c>constraints</c> lambda (<c>table.ForeignKey(...)</c>). A call whose table or name is not a constant, a call
/// of a method <see cref="MigrationBuilder"/> does not have, and calls made through helper methods are not read
/// (the result says how many calls were skipped). Thread-safe (no state).
/// </summary>
internal static class MigrationSyntaxReader
{
    private static readonly IReadOnlyDictionary<string, MethodInfo[]> BuilderMethods = typeof(MigrationBuilder)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .GroupBy(m => m.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>Reads the <c>Up</c> operations of the migration declared in <paramref name="source"/>.</summary>
    /// <param name="path">The file's path, for <see cref="LocatedOperation.File"/> (repository-relative, <c>/</c>-separated).</param>
    /// <param name="source">The C# text of the file (a migration file; a designer file has no <c>Up</c> and gives nothing).</param>
    /// <returns>The operations in source order, each with its 1-based line; empty when the file has no <c>Up(MigrationBuilder)</c>.</returns>
    public static MigrationSyntax Read(string path, string source)
    {
        if (!source.Contains("Up(", StringComparison.Ordinal))
        {
            return new MigrationSyntax([], []); // a designer file (BuildTargetModel only): not worth a parse
        }

        var root = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview)).GetCompilationUnitRoot();
        var operations = new List<LocatedOperation>();
        var skipped = new List<string>();
        foreach (var up in root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(IsUp))
        {
            var builder = up.ParameterList.Parameters[0].Identifier.ValueText;
            SyntaxNode? body = (SyntaxNode?)up.Body ?? up.ExpressionBody;
            if (body is null)
            {
                continue;
            }

            foreach (var call in body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (call.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } access || receiver.Identifier.ValueText != builder)
                {
                    continue;
                }

                var method = access.Name.Identifier.ValueText;
                var line = call.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                var operation = ToOperation(method, access.Name, call.ArgumentList);
                if (operation is null)
                {
                    skipped.Add($"{method} ({path}:{line})");
                }
                else
                {
                    operations.Add(new LocatedOperation(operation, path, line));
                }
            }
        }

        return new MigrationSyntax(operations, skipped);
    }

    private static bool IsUp(MethodDeclarationSyntax method)
        => method.Identifier.ValueText == "Up"
           && method.ParameterList.Parameters.Count == 1
           && method.ParameterList.Parameters[0].Type is { } type
           && type.ToString().EndsWith("MigrationBuilder", StringComparison.Ordinal);

    // The operation the call builds, or null when it cannot be read (unknown method, a name that is not a constant).
    private static MigrationOperation? ToOperation(string method, SimpleNameSyntax name, ArgumentListSyntax arguments)
    {
        if (!BuilderMethods.TryGetValue(method, out var overloads))
        {
            return null;
        }

        var args = Arguments(overloads, arguments);
        string? S(string key) => args.TryGetValue(key, out var value) ? Text(value) : null;
        string[] Names(string one, string many) => args.TryGetValue(one, out var single) ? Strings(single) : args.TryGetValue(many, out var list) ? Strings(list) : [];
        var schema = S("schema");
        try
        {
            return method switch
            {
                "Sql" => S("sql") is { } sql ? new SqlOperation { Sql = sql } : new SqlOperation { Sql = string.Empty },
                "AddColumn" => new AddColumnOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema, ClrType = typeof(object), ColumnType = S("type") },
                "AlterColumn" => new AlterColumnOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema, ClrType = typeof(object), ColumnType = S("type") },
                "DropColumn" => new DropColumnOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema },
                "RenameColumn" => new RenameColumnOperation { Name = Req(S("name")), Table = Req(S("table")), NewName = Req(S("newName")), Schema = schema },
                "CreateTable" => CreateTable(Req(S("name")), schema, args),
                "DropTable" => new DropTableOperation { Name = Req(S("name")), Schema = schema },
                "RenameTable" => new RenameTableOperation { Name = Req(S("name")), Schema = schema, NewName = S("newName"), NewSchema = S("newSchema") },
                "AlterTable" => new AlterTableOperation { Name = Req(S("name")), Schema = schema },
                "CreateIndex" => new CreateIndexOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema, Columns = Names("column", "columns"), IsUnique = Bool(args, "unique") },
                "DropIndex" => new DropIndexOperation { Name = Req(S("name")), Table = S("table"), Schema = schema },
                "RenameIndex" => new RenameIndexOperation { Name = Req(S("name")), Table = S("table"), NewName = Req(S("newName")), Schema = schema },
                "AddForeignKey" => ForeignKey(Req(S("name")), Req(S("table")), schema, Names("column", "columns"), Req(S("principalTable")), S("principalSchema"), Names("principalColumn", "principalColumns")),
                "DropForeignKey" => new DropForeignKeyOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema },
                "AddPrimaryKey" => new AddPrimaryKeyOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema, Columns = Names("column", "columns") },
                "DropPrimaryKey" => new DropPrimaryKeyOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema },
                "AddUniqueConstraint" => new AddUniqueConstraintOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema, Columns = Names("column", "columns") },
                "DropUniqueConstraint" => new DropUniqueConstraintOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema },
                "AddCheckConstraint" => new AddCheckConstraintOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema, Sql = S("sql") ?? string.Empty },
                "DropCheckConstraint" => new DropCheckConstraintOperation { Name = Req(S("name")), Table = Req(S("table")), Schema = schema },
                "InsertData" => new InsertDataOperation { Table = Req(S("table")), Schema = schema, Columns = Names("column", "columns") },
                "UpdateData" => new UpdateDataOperation { Table = Req(S("table")), Schema = schema, KeyColumns = Names("keyColumn", "keyColumns"), Columns = Names("column", "columns") },
                "DeleteData" => new DeleteDataOperation { Table = Req(S("table")), Schema = schema, KeyColumns = Names("keyColumn", "keyColumns") },
                "CreateSequence" => new CreateSequenceOperation { Name = Req(S("name")), Schema = schema, ClrType = typeof(long) },
                "AlterSequence" => new AlterSequenceOperation { Name = Req(S("name")), Schema = schema },
                "DropSequence" => new DropSequenceOperation { Name = Req(S("name")), Schema = schema },
                "RestartSequence" => new RestartSequenceOperation { Name = Req(S("name")), Schema = schema },
                "RenameSequence" => new RenameSequenceOperation { Name = Req(S("name")), Schema = schema, NewName = S("newName"), NewSchema = S("newSchema") },
                "EnsureSchema" => new EnsureSchemaOperation { Name = Req(S("name")) },
                "DropSchema" => new DropSchemaOperation { Name = Req(S("name")) },
                "AlterDatabase" => new AlterDatabaseOperation(),
                _ => null,
            };
        }
        catch (NotConstantException)
        {
            return null;
        }
    }

    private static CreateTableOperation CreateTable(string name, string? schema, IReadOnlyDictionary<string, ExpressionSyntax> args)
    {
        var table = new CreateTableOperation { Name = name, Schema = schema };
        if (args.TryGetValue("columns", out var columns) && Body(columns) is AnonymousObjectCreationExpressionSyntax members)
        {
            foreach (var member in members.Initializers)
            {
                var columnName = member.Expression is InvocationExpressionSyntax column && NamedArgument(column.ArgumentList, "name") is { } given && Text(given) is { } text
                    ? text
                    : member.NameEquals?.Name.Identifier.ValueText;
                if (columnName is not null)
                {
                    table.Columns.Add(new AddColumnOperation { Name = columnName, Table = name, Schema = schema, ClrType = typeof(object) });
                }
            }
        }

        if (args.TryGetValue("constraints", out var constraints) && Body(constraints) is { } body)
        {
            foreach (var call in body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ForeignKey" }
                    && Text(NamedArgument(call.ArgumentList, "principalTable")) is { } principal)
                {
                    var principalColumns = Text(NamedArgument(call.ArgumentList, "principalColumn")) is { } one ? [one]
                        : NamedArgument(call.ArgumentList, "principalColumns") is { } many ? Strings(many) : [];
                    table.ForeignKeys.Add(ForeignKey(Text(NamedArgument(call.ArgumentList, "name")) ?? "FK", name, schema, [], principal, Text(NamedArgument(call.ArgumentList, "principalSchema")), principalColumns));
                }
            }
        }

        return table;
    }

    private static AddForeignKeyOperation ForeignKey(string name, string table, string? schema, string[] columns, string principalTable, string? principalSchema, string[] principalColumns)
        => new() { Name = name, Table = table, Schema = schema, Columns = columns, PrincipalTable = principalTable, PrincipalSchema = principalSchema, PrincipalColumns = principalColumns };

    // A lambda's body (table => new { ... }), or the expression itself.
    private static SyntaxNode? Body(ExpressionSyntax expression) => expression switch
    {
        LambdaExpressionSyntax lambda => lambda.ExpressionBody ?? (SyntaxNode?)lambda.Block,
        _ => expression,
    };

    // Argument expressions by parameter name: named ones by their name, positional ones by the name of the parameter at
    // their position in the MigrationBuilder overload that has enough parameters (all overloads agree on the leading ones).
    private static Dictionary<string, ExpressionSyntax> Arguments(MethodInfo[] overloads, ArgumentListSyntax arguments)
    {
        var result = new Dictionary<string, ExpressionSyntax>(StringComparer.Ordinal);
        var positional = arguments.Arguments.TakeWhile(a => a.NameColon is null).Count();
        var named = arguments.Arguments.Where(a => a.NameColon is not null).Select(a => a.NameColon!.Name.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        var overload = overloads
            .Where(m => m.GetParameters().Length >= positional + named.Count && named.All(n => m.GetParameters().Any(p => p.Name == n)))
            .OrderBy(m => m.GetParameters().Length)
            .FirstOrDefault() ?? overloads.OrderByDescending(m => m.GetParameters().Length).First();
        var parameters = overload.GetParameters();
        for (var i = 0; i < arguments.Arguments.Count; i++)
        {
            var argument = arguments.Arguments[i];
            var key = argument.NameColon?.Name.Identifier.ValueText ?? (i < parameters.Length ? parameters[i].Name : null);
            if (key is not null)
            {
                result[key] = argument.Expression;
            }
        }

        return result;
    }

    private static ExpressionSyntax? NamedArgument(ArgumentListSyntax arguments, string name)
        => arguments.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name)?.Expression;

    private static string Req(string? value) => value ?? throw new NotConstantException();

    private static bool Bool(IReadOnlyDictionary<string, ExpressionSyntax> args, string key)
        => args.TryGetValue(key, out var value) && value.IsKind(SyntaxKind.TrueLiteralExpression);

    /// <summary>The constant text of a string expression, or null when it is not one (<c>null</c>, a variable, a call).</summary>
    private static string? Text(ExpressionSyntax? expression) => expression switch
    {
        null => null,
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
        ParenthesizedExpressionSyntax parenthesized => Text(parenthesized.Expression),
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) => Text(binary.Left) is { } left && Text(binary.Right) is { } right ? left + right : null,
        InterpolatedStringExpressionSyntax interpolated => string.Concat(interpolated.Contents.OfType<InterpolatedStringTextSyntax>().Select(t => t.TextToken.ValueText)),
        _ => null,
    };

    // The constant strings of an array (new[] { "A" }, new string[] { "A" }, ["A"]); non-constant elements are left out.
    private static string[] Strings(ExpressionSyntax expression) => expression switch
    {
        ImplicitArrayCreationExpressionSyntax array => array.Initializer.Expressions.Select(Text).OfType<string>().ToArray(),
        ArrayCreationExpressionSyntax array => array.Initializer?.Expressions.Select(Text).OfType<string>().ToArray() ?? [],
        CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => Text(e.Expression)).OfType<string>().ToArray(),
        _ => Text(expression) is { } single ? [single] : [],
    };

    private sealed class NotConstantException : Exception;
}

/// <summary>A migration operation read from source, with where it is.</summary>
/// <param name="Operation">The operation, as EF Core's <see cref="MigrationBuilder"/> would build it (names only: types, defaults and values are not read).</param>
/// <param name="File">The file (as given to <see cref="MigrationSyntaxReader.Read"/>).</param>
/// <param name="Line">The 1-based line of the <c>migrationBuilder.X(</c> call.</param>
internal sealed record LocatedOperation(MigrationOperation Operation, string File, int Line)
{
    /// <summary><c>file:line</c>.</summary>
    public string Location => $"{File}:{Line}";
}

/// <summary>What <see cref="MigrationSyntaxReader"/> read from a migration's <c>Up</c>.</summary>
/// <param name="Operations">The operations read, in source order.</param>
/// <param name="Skipped">Calls on the builder that could not be read (<c>Method (file:line)</c>), in source order.</param>
internal sealed record MigrationSyntax(IReadOnlyList<LocatedOperation> Operations, IReadOnlyList<string> Skipped);
