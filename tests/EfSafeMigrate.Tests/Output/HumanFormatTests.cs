using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tests.Output;

public class HumanFormatTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(-5L, "0 B")]
    [InlineData(1L, "1 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1 KB")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(14_889_779L, "14.2 MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 GB")]
    public void Bytes_uses_binary_units_with_one_decimal(long bytes, string expected)
        => Assert.Equal(expected, HumanFormat.Bytes(bytes));

    [Theory]
    [InlineData(0L)]
    [InlineData(1000L)]
    [InlineData(1536L)]
    [InlineData(10L * 1024 * 1024)]
    [InlineData(14_889_779L)]
    [InlineData(5L * 1024 * 1024 * 1024 + 1)]
    public void Lint_messages_of_the_library_format_sizes_the_same_way(long bytes)
        => Assert.Equal(HumanFormat.Bytes(bytes), EfSafeMigrate.Lint.LintEngine.FormatBytes(bytes));

    [Fact]
    public void Bytes_of_an_unknown_size_is_a_question_mark()
        => Assert.Equal("?", HumanFormat.Bytes((long?)null));

    [Theory]
    [InlineData(0, "0 ms")]
    [InlineData(350, "350 ms")]
    [InlineData(999, "999 ms")]
    [InlineData(1_000, "1.0 s")]
    [InlineData(1_400, "1.4 s")]
    [InlineData(9_960, "9.9 s")]
    [InlineData(10_000, "10 s")]
    [InlineData(42_700, "42 s")]
    [InlineData(60_000, "1 min 00 s")]
    [InlineData(125_000, "2 min 05 s")]
    [InlineData(3_599_000, "59 min 59 s")]
    [InlineData(3_720_000, "1 h 02 min")]
    [InlineData(-20, "0 ms")]
    public void Duration_is_short_and_readable(long milliseconds, string expected)
        => Assert.Equal(expected, HumanFormat.Milliseconds(milliseconds));

    [Theory]
    [InlineData(0L, 1_000, "0 B/s")]
    [InlineData(10L * 1024 * 1024, 0, "0 B/s")]
    [InlineData(10L * 1024 * 1024, 4_000, "2.5 MB/s")]
    public void Rate_is_bytes_per_second(long bytes, long milliseconds, string expected)
        => Assert.Equal(expected, HumanFormat.Rate(bytes, TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1204L, "1,204")]
    [InlineData(12_345_678L, "12,345,678")]
    public void Count_has_thousands_separators(long count, string expected)
        => Assert.Equal(expected, HumanFormat.Count(count));
}
