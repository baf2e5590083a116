using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Tests.Execution;

public class SqlStatementTerminatorTests
{
    [Fact]
    public void EnsureTerminated_returns_same_instance_when_already_terminated()
    {
        var sql = "UPDATE \"Products\" SET \"Price\" = 0;";

        var result = SqlStatementTerminator.EnsureTerminated(sql);

        Assert.Same(sql, result);
    }

    [Fact]
    public void EnsureTerminated_appends_semicolon_after_last_statement()
    {
        Assert.Equal("SELECT 1;", SqlStatementTerminator.EnsureTerminated("SELECT 1"));
    }

    [Fact]
    public void EnsureTerminated_appends_semicolon_after_last_of_several_statements()
    {
        Assert.Equal(
            "UPDATE t SET a = 1;\nUPDATE t SET b = 2;",
            SqlStatementTerminator.EnsureTerminated("UPDATE t SET a = 1;\nUPDATE t SET b = 2"));
    }

    [Fact]
    public void EnsureTerminated_places_semicolon_before_trailing_whitespace_and_newlines()
    {
        Assert.Equal("SELECT 1;  \r\n\t\n", SqlStatementTerminator.EnsureTerminated("SELECT 1  \r\n\t\n"));
    }

    [Fact]
    public void EnsureTerminated_keeps_terminated_sql_with_trailing_whitespace_unchanged()
    {
        var sql = "SELECT 1;\n\n  ";

        Assert.Same(sql, SqlStatementTerminator.EnsureTerminated(sql));
    }

    [Fact]
    public void EnsureTerminated_places_semicolon_before_trailing_line_comment()
    {
        var result = SqlStatementTerminator.EnsureTerminated("SELECT 1 -- the answer");

        Assert.Equal("SELECT 1; -- the answer", result);
        // The added terminator is itself outside the comment: terminating again changes nothing.
        Assert.Same(result, SqlStatementTerminator.EnsureTerminated(result));
    }

    [Fact]
    public void EnsureTerminated_places_semicolon_before_line_comment_followed_by_newline()
    {
        Assert.Equal("SELECT 1; -- note\n", SqlStatementTerminator.EnsureTerminated("SELECT 1 -- note\n"));
    }

    [Fact]
    public void EnsureTerminated_ignores_semicolon_inside_trailing_line_comment()
    {
        Assert.Equal("SELECT 1; -- done;", SqlStatementTerminator.EnsureTerminated("SELECT 1 -- done;"));
    }

    [Fact]
    public void EnsureTerminated_keeps_terminated_sql_with_trailing_line_comment_unchanged()
    {
        var sql = "SELECT 1; -- done";

        Assert.Same(sql, SqlStatementTerminator.EnsureTerminated(sql));
    }

    [Fact]
    public void EnsureTerminated_places_semicolon_before_trailing_block_comment()
    {
        Assert.Equal("SELECT 1; /* done; */", SqlStatementTerminator.EnsureTerminated("SELECT 1 /* done; */"));
    }

    [Fact]
    public void EnsureTerminated_treats_nested_block_comments_as_one_comment()
    {
        // PostgreSQL block comments nest: "x;" after the inner "*/" is still inside the comment.
        Assert.Equal(
            "SELECT 1; /* outer /* inner */ still comment; */",
            SqlStatementTerminator.EnsureTerminated("SELECT 1 /* outer /* inner */ still comment; */"));
    }

    [Fact]
    public void EnsureTerminated_places_semicolon_before_block_comment_spanning_lines()
    {
        Assert.Equal(
            "SELECT 1;\n/*\n  a;\n  b;\n*/\n",
            SqlStatementTerminator.EnsureTerminated("SELECT 1\n/*\n  a;\n  b;\n*/\n"));
    }

    [Fact]
    public void EnsureTerminated_ignores_semicolon_inside_string_literal()
    {
        Assert.Equal("SELECT 'a;b';", SqlStatementTerminator.EnsureTerminated("SELECT 'a;b'"));
    }

    [Fact]
    public void EnsureTerminated_ignores_semicolon_at_end_of_string_literal()
    {
        Assert.Equal("SELECT 'a;';", SqlStatementTerminator.EnsureTerminated("SELECT 'a;'"));
    }

    [Fact]
    public void EnsureTerminated_handles_doubled_quotes_in_string_literal()
    {
        Assert.Equal(
            "UPDATE t SET s = 'it''s; -- not a comment';",
            SqlStatementTerminator.EnsureTerminated("UPDATE t SET s = 'it''s; -- not a comment'"));
    }

    [Fact]
    public void EnsureTerminated_ignores_comment_markers_inside_string_literal()
    {
        Assert.Equal(
            "SELECT '/* x */ -- y';",
            SqlStatementTerminator.EnsureTerminated("SELECT '/* x */ -- y'"));
    }

    [Fact]
    public void EnsureTerminated_ignores_backslash_escaped_quote_in_escape_string()
    {
        // E'...' strings accept \' as an escaped quote: the whole literal runs to the last quote.
        Assert.Equal(
            @"UPDATE t SET s = E'it\'s -- not a comment';",
            SqlStatementTerminator.EnsureTerminated(@"UPDATE t SET s = E'it\'s -- not a comment'"));
    }

    [Fact]
    public void EnsureTerminated_ignores_semicolon_inside_quoted_identifier()
    {
        Assert.Equal(
            "SELECT * FROM \"odd;name\";",
            SqlStatementTerminator.EnsureTerminated("SELECT * FROM \"odd;name\""));
    }

    [Fact]
    public void EnsureTerminated_handles_doubled_quotes_in_quoted_identifier()
    {
        Assert.Equal(
            "SELECT \"a\"\"b;\" FROM t;",
            SqlStatementTerminator.EnsureTerminated("SELECT \"a\"\"b;\" FROM t"));
    }

    [Fact]
    public void EnsureTerminated_appends_semicolon_after_closing_dollar_quote_of_do_block()
    {
        const string sql = """
            DO $$
            BEGIN
                UPDATE t SET a = 1;
                RAISE NOTICE 'done;';
            END $$
            """;

        Assert.Equal(sql + ";", SqlStatementTerminator.EnsureTerminated(sql));
    }

    [Fact]
    public void EnsureTerminated_ignores_semicolon_right_before_closing_dollar_quote()
    {
        Assert.Equal("SELECT $$a;$$;", SqlStatementTerminator.EnsureTerminated("SELECT $$a;$$"));
    }

    [Fact]
    public void EnsureTerminated_handles_tagged_dollar_quotes()
    {
        const string sql = """
            CREATE FUNCTION f() RETURNS text AS $body$
                SELECT $$inner; $$ || 'x;';
            $body$ LANGUAGE sql
            """;

        Assert.Equal(sql + ";", SqlStatementTerminator.EnsureTerminated(sql));
    }

    [Fact]
    public void EnsureTerminated_appends_semicolon_directly_after_closing_tagged_dollar_quote()
    {
        Assert.Equal(
            "DO $fn$ BEGIN PERFORM 1; END $fn$; -- trailing",
            SqlStatementTerminator.EnsureTerminated("DO $fn$ BEGIN PERFORM 1; END $fn$ -- trailing"));
    }

    [Fact]
    public void EnsureTerminated_does_not_treat_positional_parameters_as_dollar_quotes()
    {
        Assert.Equal(
            "SELECT * FROM t WHERE a = $1 AND b = $2;",
            SqlStatementTerminator.EnsureTerminated("SELECT * FROM t WHERE a = $1 AND b = $2"));
    }

    [Fact]
    public void EnsureTerminated_does_not_treat_positional_parameter_before_comment_as_dollar_quote()
    {
        Assert.Equal(
            "SELECT $1; -- $x$",
            SqlStatementTerminator.EnsureTerminated("SELECT $1 -- $x$"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("-- only a comment")]
    [InlineData("-- only a comment\n")]
    [InlineData("/* only a comment */")]
    [InlineData("/* outer /* nested */ */\n-- and a line comment\n")]
    public void EnsureTerminated_returns_empty_and_comment_only_sql_unchanged(string sql)
    {
        Assert.Same(sql, SqlStatementTerminator.EnsureTerminated(sql));
    }

    [Fact]
    public void EnsureTerminated_does_not_treat_dollar_signs_inside_identifiers_as_dollar_quotes()
    {
        // PostgreSQL identifiers may contain '$' after the first character: a$b$ is an identifier, not a quote.
        Assert.Equal(
            "SELECT a$b$ FROM t; -- note",
            SqlStatementTerminator.EnsureTerminated("SELECT a$b$ FROM t -- note"));
    }

    [Fact]
    public void EnsureTerminated_appends_semicolon_at_end_of_unterminated_string_literal()
    {
        // Broken input stays broken, but the method must not throw or index out of range.
        Assert.Equal("SELECT 'abc;", SqlStatementTerminator.EnsureTerminated("SELECT 'abc"));
    }
}
