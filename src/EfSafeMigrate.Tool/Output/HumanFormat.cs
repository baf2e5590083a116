using System.Globalization;
using Humanizer.Bytes;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// The one place human output formats sizes, rates, durations and counts (JSON keeps the exact numbers:
/// bytes and milliseconds). Sizes come from Humanizer's <see cref="ByteSize"/> (binary multiples, 1 KB = 1,024 bytes,
/// as <c>pg_size_pretty</c> counts them, one decimal: <c>14.2 MB</c>); durations are short and fixed-width enough to
/// read in a column: <c>350 ms</c>, <c>1.4 s</c>, <c>42 s</c>, <c>2 min 05 s</c>, <c>1 h 02 min</c>. Always the
/// invariant culture, so output is the same on every machine.
/// </summary>
internal static class HumanFormat
{
    /// <summary>A size: <c>0 B</c>, <c>512 B</c>, <c>1.5 KB</c>, <c>14.2 MB</c>, <c>3 GB</c>.</summary>
    /// <param name="bytes">The size in bytes (0 or more; a negative size is shown as 0 B).</param>
    public static string Bytes(long bytes)
    {
        if (bytes <= 0)
        {
            return "0 B";
        }

        var size = ByteSize.FromBytes(bytes);
        return bytes < 1024 ? $"{bytes} B" : size.ToString("0.#", CultureInfo.InvariantCulture);
    }

    /// <summary>A size that may be unknown: <see cref="Bytes(long)"/>, or <c>?</c> when null.</summary>
    public static string Bytes(long? bytes) => bytes is { } value ? Bytes(value) : "?";

    /// <summary>A transfer rate: <c>3.1 MB/s</c>; <c>0 B/s</c> when nothing was transferred or no time passed.</summary>
    /// <param name="bytes">Bytes transferred.</param>
    /// <param name="elapsed">In this time.</param>
    public static string Rate(long bytes, TimeSpan elapsed)
        => elapsed <= TimeSpan.Zero || bytes <= 0 ? "0 B/s" : Bytes((long)(bytes / elapsed.TotalSeconds)) + "/s";

    /// <summary>A duration: under 1 s in milliseconds (<c>350 ms</c>), under 10 s with one decimal (<c>1.4 s</c>), under a minute in whole seconds (<c>42 s</c>), under an hour <c>2 min 05 s</c>, else <c>1 h 02 min</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        if (duration.TotalSeconds < 1)
        {
            return ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
        }

        if (duration.TotalSeconds < 10)
        {
            // Truncated, not rounded: 9.96 s stays "9.9 s" rather than becoming "10.0 s".
            return (Math.Floor(duration.TotalSeconds * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture) + " s";
        }

        if (duration.TotalMinutes < 1)
        {
            return ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";
        }

        return duration.TotalHours < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes:00} min");
    }

    /// <summary>A duration given in milliseconds (as the journal and JSON keep them): <see cref="Duration(TimeSpan)"/>.</summary>
    public static string Milliseconds(long milliseconds) => Duration(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>A count with thousands separators: <c>1,204</c>.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
