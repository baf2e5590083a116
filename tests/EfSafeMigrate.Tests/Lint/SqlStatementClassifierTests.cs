using EfSafeMigrate.Lint.Internal;
using EfSafeMigrate.Lint;

namespace EfSafeMigrate.Tests.Lint;

public class SqlStatementClassifierTests
{
    [Fact]
    public void Split_ignores_semicolons_in_literals_comments_and_dollar_quotes()
    {
        var statements = SqlStatementClassifier.Split("""
            INSERT INTO t VALUES ('a;b'); -- c; d
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            /* x; */ SELECT "semi;colon" FROM t
            """);
        Assert.Equal(3, statements.Count);
        Assert.StartsWith("CREATE FUNCTION", statements[1]);
    }

    [Theory]
    [InlineData("CREATE UNIQUE INDEX \"IX\" ON public.\"Items\" (\"Code\")", SqlStatementKind.CreateIndex, "public", "Items")]
    [InlineData("create index ix on items (name)", SqlStatementKind.CreateIndex, null, "items")]
    [InlineData("ALTER TABLE \"Items\" ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id)", SqlStatementKind.AddConstraint, null, "Items")]
    [InlineData("UPDATE \"Items\" SET a = 1", SqlStatementKind.Update, null, "Items")]
    [InlineData("VACUUM FULL \"Items\"", SqlStatementKind.LockingMaintenance, null, "Items")]
    [InlineData("ALTER TABLE \"Items\" ADD COLUMN a integer", SqlStatementKind.Harmless, null, "Items")]
    [InlineData("ALTER TABLE \"Items\" ADD COLUMN t uuid DEFAULT gen_random_uuid()", SqlStatementKind.AddColumnRewrite, null, "Items")]
    public void Classifies_statements_and_their_tables(string sql, SqlStatementKind kind, string? schema, string table)
    {
        var statement = SqlStatementClassifier.ClassifyOne(sql);
        Assert.Equal(kind, statement.Kind);
        Assert.Equal(new TableRef(schema, table), statement.Table);
    }
}
