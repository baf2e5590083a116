using System.Text;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// Writes to another writer, starting every line with a prefix (<c>--prefix-output</c>'s <c>data:    </c>),
/// whatever pieces the text arrives in (Spectre.Console writes tables segment by segment).
/// </summary>
internal sealed class LinePrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    private bool _atLineStart = true;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        if (_atLineStart && value != '\r')
        {
            inner.Write(prefix);
            _atLineStart = false;
        }

        inner.Write(value);
        if (value == '\n')
        {
            _atLineStart = true;
        }
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
}
