using Spectre.Console;
using Spectre.Console.Rendering;
using EfSafeMigrate.Tool.Hosting;

namespace EfSafeMigrate.Tool.Output;

/// <summary>A colour for a line of text.</summary>
internal enum Tone
{
    /// <summary>No colour.</summary>
    Plain,
    /// <summary>Success.</summary>
    Green,
    /// <summary>Warnings.</summary>
    Yellow,
    /// <summary>Errors.</summary>
    Red,
    /// <summary>Details and hints.</summary>
    Grey,
}

/// <summary>
/// Where output goes: data (tables, JSON, scripts, findings) to stdout, messages and progress to
/// stderr, as <c>dotnet ef</c> does (in the inner process, data goes over <see cref="DataChannel"/>). With
/// <c>--prefix-output</c> every line starts with its level, as <c>dotnet ef</c>'s do: <c>data:    </c>,
/// <c>info:    </c>, <c>warn:    </c>, <c>error:   </c>, <c>verbose: </c>. With <c>--json</c> stdout carries only one JSON document;
/// with <c>--no-color</c>, <c>NO_COLOR</c>, <c>TERM=dumb</c> or a redirected stream, no ANSI
/// colours are written to it. Lines are written directly (a pre-commit hook must start fast);
/// Spectre.Console renders tables, created on first use. Progress of long work (<see cref="Progress.LiveProgress"/>) is drawn
/// on stderr only when it is a terminal (not <c>TERM=dumb</c>), without <c>--json</c> and <c>--prefix-output</c>; while it is
/// drawn, messages go through its console so that they appear above it.
/// </summary>
internal sealed class Reporter
{
    /// <summary>Width used for tables when stdout is not a terminal: no wrapping.</summary>
    private const int RedirectedWidth = 400;

    private readonly bool _colorOut;
    private readonly bool _colorErr;
    private readonly bool _noColor;
    private readonly bool _prefix;
    private readonly TextWriter _out;
    private IAnsiConsole? _tables;
    private volatile IAnsiConsole? _live;
    private string? _pendingLine;

    /// <summary>Creates a reporter.</summary>
    public Reporter(bool json, bool noColor, bool verbose, bool prefixOutput = false)
    {
        Json = json;
        Verbose = verbose;
        _prefix = prefixOutput;
        _noColor = noColor || prefixOutput || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) || Environment.GetEnvironmentVariable("TERM") == "dumb";
        _colorOut = !_noColor && !DataChannel.IsRedirected;
        _colorErr = !_noColor && !Console.IsErrorRedirected;
        _out = prefixOutput ? new LinePrefixWriter(DataChannel.Out, "data:    ") : DataChannel.Out;
    }

    /// <summary>True with <c>--json</c>.</summary>
    public bool Json { get; }

    /// <summary>True with <c>--verbose</c>.</summary>
    public bool Verbose { get; }

    /// <summary>True when live progress may be drawn on stderr: a terminal (not <c>TERM=dumb</c>), no <c>--json</c>, no <c>--prefix-output</c>.</summary>
    public bool CanShowProgress => !Json && !_prefix && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>A progress or status message (stderr).</summary>
    public void Info(string message) => ErrorLine(Prefix("info:    ", message), Tone.Plain);

    /// <summary>A success message (stderr, green).</summary>
    public void Success(string message) => ErrorLine(Prefix("info:    ", message), Tone.Green);

    /// <summary>A warning (stderr, yellow, prefixed <c>warning:</c>).</summary>
    public void Warning(string message)
    {
        if (_prefix)
        {
            ErrorLine(Prefix("warn:    ", message), Tone.Plain);
        }
        else
        {
            ErrorLine("warning: " + message, Tone.Yellow);
        }
    }

    /// <summary>An error (stderr, red, prefixed <c>error:</c>).</summary>
    public void Error(string message)
    {
        if (_prefix)
        {
            ErrorLine(Prefix("error:   ", message), Tone.Plain);
        }
        else
        {
            ErrorLine("error: " + message, Tone.Red);
        }
    }

    /// <summary>A message shown only with <c>--verbose</c> (stderr, grey).</summary>
    public void Detail(string message)
    {
        if (Verbose)
        {
            ErrorLine(Prefix("verbose: ", message), Tone.Grey);
        }
    }

    /// <summary>Starts a progress line on stderr (finished by <see cref="EndLine"/>); while live progress is drawn, the line is written whole when it ends.</summary>
    public void BeginLine(string message)
    {
        if (_live is not null)
        {
            _pendingLine = message;
            return;
        }

        Console.Error.Write(Prefix("info:    ", message));
        Console.Error.Flush();
    }

    /// <summary>Finishes a progress line started by <see cref="BeginLine"/>.</summary>
    public void EndLine(string message, bool ok)
    {
        if (_live is { } live && _pendingLine is { } begun)
        {
            _pendingLine = null;
            live.Write(new Paragraph().Append(begun + " ").Append(message, StyleOf(ok ? Tone.Green : Tone.Red)).Append(Environment.NewLine));
            return;
        }

        Console.Error.WriteLine(" " + Paint(message, ok ? Tone.Green : Tone.Red, _colorErr));
    }

    /// <summary>
    /// The console live progress draws on: stderr, ANSI and interactive (callers check <see cref="CanShowProgress"/>), with
    /// colours unless <c>--no-color</c>, <c>NO_COLOR</c> or <c>TERM=dumb</c>.
    /// </summary>
    public IAnsiConsole CreateProgressConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Yes,
            ColorSystem = _colorErr ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
        });
        return console;
    }

    /// <summary>While live progress is drawn on <paramref name="live"/>, stderr messages go through it (so they appear above it); null when it ends.</summary>
    public void RouteMessagesThrough(IAnsiConsole? live)
    {
        if (live is null && _pendingLine is { } begun)
        {
            // A line begun during the live display and not finished: start it again on the plain stream.
            _pendingLine = null;
            _live = null;
            BeginLine(begun);
            return;
        }

        _live = live;
    }

    /// <summary>Writes a table or other renderable to stdout.</summary>
    public void Data(IRenderable renderable) => Tables.Write(renderable);

    /// <summary>Writes one line of data to stdout, made of coloured segments.</summary>
    public void DataLine(params (string Text, Tone Tone)[] segments)
        => _out.WriteLine(string.Concat(segments.Select(s => Paint(s.Text, s.Tone, _colorOut))));

    /// <summary>Writes plain text to stdout, unchanged (scripts, paths).</summary>
    public void Text(string text) => _out.Write(text);

    /// <summary>Writes a command's result to stdout as its versioned <c>--json</c> document (see <see cref="MachineOutput"/>).</summary>
    /// <param name="value">The result: a record or anonymous object, never a collection.</param>
    public void JsonDocument(object value) => _out.WriteLine(MachineOutput.Serialize(value));

    private IAnsiConsole Tables => _tables ??= CreateTableConsole();

    private IAnsiConsole CreateTableConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_out),
            Ansi = _colorOut ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _colorOut ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (DataChannel.TerminalWidth is { } width)
        {
            console.Profile.Width = width;
        }
        else if (DataChannel.IsRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    private void ErrorLine(string line, Tone tone)
    {
        if (_live is { } live)
        {
            live.Write(new Text(line + Environment.NewLine, StyleOf(tone)));
            return;
        }

        Console.Error.WriteLine(Paint(line, tone, _colorErr));
    }

    private static Style StyleOf(Tone tone) => tone switch
    {
        Tone.Green => new Style(Color.Green),
        Tone.Yellow => new Style(Color.Yellow),
        Tone.Red => new Style(Color.Red),
        Tone.Grey => new Style(Color.Grey),
        _ => Style.Plain,
    };

    private string Prefix(string prefix, string message)
        => _prefix ? string.Join(Environment.NewLine, message.Split('\n').Select(line => prefix + line.TrimEnd('\r'))) : message;

    private static string Paint(string text, Tone tone, bool color)
    {
        if (!color || tone == Tone.Plain)
        {
            return text;
        }

        var code = tone switch { Tone.Green => "32", Tone.Yellow => "33", Tone.Red => "31", _ => "90" };
        return $"\u001b[{code}m{text}\u001b[0m";
    }
}
