using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// Where output goes: data (tables, JSON, scripts) to stdout, messages and progress to stderr,
/// as <c>dotnet ef</c> does. With <c>--json</c> stdout carries only one JSON document; with
/// <c>--no-color</c> (or when <c>NO_COLOR</c> is set) no ANSI colours are written.
/// </summary>
public sealed class Reporter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private readonly IAnsiConsole _out;
    private readonly IAnsiConsole _err;

    /// <summary>Creates a reporter.</summary>
    public Reporter(bool json, bool noColor, bool verbose)
    {
        Json = json;
        Verbose = verbose;
        noColor |= !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        _out = Create(Console.Out, noColor || Console.IsOutputRedirected);
        _err = Create(Console.Error, noColor || Console.IsErrorRedirected);
    }

    /// <summary>True with <c>--json</c>.</summary>
    public bool Json { get; }

    /// <summary>True with <c>--verbose</c>.</summary>
    public bool Verbose { get; }

    /// <summary>A progress or status message (stderr).</summary>
    public void Info(string message) => _err.MarkupLine(Markup.Escape(message));

    /// <summary>A success message (stderr, green).</summary>
    public void Success(string message) => _err.MarkupLine($"[green]{Markup.Escape(message)}[/]");

    /// <summary>A warning (stderr, yellow, prefixed <c>warning:</c>).</summary>
    public void Warning(string message) => _err.MarkupLine($"[yellow]warning: {Markup.Escape(message)}[/]");

    /// <summary>An error (stderr, red, prefixed <c>error:</c>).</summary>
    public void Error(string message) => _err.MarkupLine($"[red]error: {Markup.Escape(message)}[/]");

    /// <summary>A message shown only with <c>--verbose</c> (stderr, grey).</summary>
    public void Detail(string message)
    {
        if (Verbose)
        {
            _err.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        }
    }

    /// <summary>Starts a progress line on stderr (finished by <see cref="EndLine"/>).</summary>
    public void BeginLine(string message) => _err.Markup(Markup.Escape(message));

    /// <summary>Finishes a progress line started by <see cref="BeginLine"/>.</summary>
    public void EndLine(string message, bool ok) => _err.MarkupLine(ok ? $" [green]{Markup.Escape(message)}[/]" : $" [red]{Markup.Escape(message)}[/]");

    /// <summary>Writes a table or other renderable to stdout.</summary>
    public void Data(IRenderable renderable) => _out.Write(renderable);

    /// <summary>Writes plain text to stdout, unchanged (scripts, paths).</summary>
    public void Text(string text) => Console.Out.Write(text);

    /// <summary>Writes one JSON document to stdout (camelCase, enums in kebab-case).</summary>
    public void JsonDocument(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOptions));

    private static IAnsiConsole Create(TextWriter writer, bool noColor)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = noColor ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (writer == Console.Out ? Console.IsOutputRedirected : Console.IsErrorRedirected)
        {
            // Redirected to a file or pipe: no terminal width to honour, so never wrap lines.
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    private const int RedirectedWidth = 400;
}
