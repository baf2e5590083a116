using EfSafeMigrate.Lint;
using static EfSafeMigrate.Tests.Lint.LintTestMigrations;

namespace EfSafeMigrate.Tests.Lint;

public class LintRuleTests
{
    [Fact]
    public void SM501_fires_on_a_plain_index_of_an_existing_table()
    {
        var finding = Assert.Single(RunLint(Up(b => b.CreateIndex("IX_Items_Name", "Items", "Name"), b => b.DropIndex("IX_Items_Name", "Items"))));
        Assert.Equal("SM501", finding.Code);
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal(LockModes.Share, finding.Lock);
        Assert.True(finding.ScansTable);
        Assert.Equal("Items", finding.Table);
        Assert.Contains("IsCreatedConcurrently()", finding.Fix);
    }

    [Fact]
    public void SM501_does_not_fire_on_a_concurrent_index_or_a_new_table()
    {
        Assert.DoesNotContain("SM501", UpCodes(b => b.CreateIndex("IX_Items_Name", "Items", "Name").Annotation("Npgsql:CreatedConcurrently", true)));
        Assert.DoesNotContain("SM501", UpCodes(b => { Items(b); b.CreateIndex("IX_Items_Name", "Items", "Name"); }));
    }

    [Fact]
    public void SM502_fires_on_drop_index_and_not_in_sql_with_concurrently()
    {
        Assert.Contains("SM502", UpCodes(b => b.DropIndex("IX_Items_Name", "Items")));
        Assert.Empty(UpCodes(b => b.Sql("DROP INDEX CONCURRENTLY IF EXISTS \"IX_Items_Name\";", suppressTransaction: true)));
    }

    [Fact]
    public void SM503_fires_on_a_foreign_key_to_an_existing_table_not_on_not_valid_sql()
    {
        var finding = Assert.Single(RunLint(Up(b => b.AddForeignKey("FK_Items_Categories_CategoryId", "Items", "CategoryId", "Categories", principalColumn: "Id"),
            b => b.DropForeignKey("FK_Items_Categories_CategoryId", "Items"))));
        Assert.Equal("SM503", finding.Code);
        Assert.Equal(LockModes.ShareRowExclusive, finding.Lock);
        Assert.Contains("NOT VALID", finding.Fix);
        Assert.Empty(UpCodes(b => b.Sql("ALTER TABLE \"Items\" ADD CONSTRAINT \"FK\" FOREIGN KEY (\"CategoryId\") REFERENCES \"Categories\" (\"Id\") NOT VALID;")));
        Assert.Empty(UpCodes(b => b.Sql("ALTER TABLE \"Items\" VALIDATE CONSTRAINT \"FK\";")));
    }

    [Fact]
    public void SM504_fires_on_a_check_constraint_of_an_existing_table_only()
    {
        Assert.Equal(["SM504"], UpCodes(b => b.AddCheckConstraint("CK_Items_Qty", "Items", "\"Quantity\" >= 0")));
        Assert.Empty(UpCodes(b => { Items(b); b.AddCheckConstraint("CK_Items_Qty", "Items", "\"Quantity\" >= 0"); }));
    }

    [Fact]
    public void SM505_fires_when_a_nullable_column_becomes_required_only()
    {
        Assert.Equal(["SM505"], UpCodes(b => b.AlterColumn<string>("Name", "Items", type: "text", nullable: false, defaultValue: "", oldClrType: typeof(string), oldType: "text", oldNullable: true)));
        Assert.Empty(UpCodes(b => b.AlterColumn<string>("Name", "Items", type: "text", nullable: true, oldClrType: typeof(string), oldType: "text", oldNullable: false)));
    }

    [Fact]
    public void SM506_fires_on_unique_constraint_and_primary_key_of_existing_tables()
    {
        Assert.Equal(["SM506"], UpCodes(b => b.AddUniqueConstraint("AK_Items_Code", "Items", "Code")));
        Assert.Equal(["SM506"], UpCodes(b => b.AddPrimaryKey("PK_Items", "Items", "Id")));
        Assert.Empty(UpCodes(b => b.Sql("ALTER TABLE \"Items\" ADD CONSTRAINT \"AK_Items_Code\" UNIQUE USING INDEX \"IX_Items_Code\";")));
    }

    [Theory]
    [InlineData("integer", "bigint", true)]
    [InlineData("text", "integer", true)]
    [InlineData("timestamp without time zone", "timestamp with time zone", true)]
    [InlineData("character varying(100)", "character varying(200)", false)]
    [InlineData("character varying(100)", "text", false)]
    [InlineData("character varying(100)", "character varying", false)]
    [InlineData("text", "character varying", false)]
    [InlineData("numeric(10,2)", "numeric(12,2)", false)]
    public void SM507_fires_on_rewriting_type_changes_not_on_cheap_ones(string oldType, string newType, bool fires)
    {
        var codes = UpCodes(b => b.AlterColumn<string>("Code", "Items", type: newType, nullable: true, oldClrType: typeof(string), oldType: oldType, oldNullable: true));
        Assert.Equal(fires, codes.Contains("SM507"));
        Assert.DoesNotContain("SM514", codes);
    }

    [Fact]
    public void SM508_fires_on_volatile_default_identity_and_stored_generated_not_on_constant_default()
    {
        Assert.Equal(["SM508"], UpCodes(b => b.AddColumn<Guid>("Token", "Items", type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()")));
        Assert.Equal(["SM508"], UpCodes(b => b.AddColumn<long>("Seq", "Items", type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", "IdentityByDefaultColumn")));
        Assert.Equal(["SM508"], UpCodes(b => b.AddColumn<int>("Twice", "Items", type: "integer", nullable: true, computedColumnSql: "\"Quantity\" * 2", stored: true)));
        Assert.Empty(UpCodes(b => b.AddColumn<int>("Quantity", "Items", type: "integer", nullable: false, defaultValue: 0)));
        Assert.Empty(UpCodes(b => b.AddColumn<DateTime>("Created", "Items", type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")));
    }

    [Fact]
    public void SM509_fires_on_required_column_without_default_only()
    {
        Assert.Equal(["SM509"], UpCodes(b => b.AddColumn<int>("Quantity", "Items", type: "integer", nullable: false)));
        Assert.Empty(UpCodes(b => b.AddColumn<int>("Quantity", "Items", type: "integer", nullable: true)));
    }

    [Fact]
    public void SM510_and_SM511_fire_on_renames_of_existing_objects()
    {
        Assert.Equal(["SM510"], UpCodes(b => b.RenameColumn("Name", "Items", "Title")));
        Assert.Equal(["SM511"], UpCodes(b => b.RenameTable("Items", newName: "Articles")));
        Assert.Empty(UpCodes(b => { Items(b); b.RenameColumn("Name", "Items", "Title"); }));
    }

    [Fact]
    public void SM512_and_SM513_fire_on_drops_of_existing_objects()
    {
        Assert.Equal(["SM512"], UpCodes(b => b.DropColumn("Name", "Items")));
        Assert.Equal(["SM513"], UpCodes(b => b.DropTable("Items")));
        Assert.Empty(UpCodes(b => { Items(b); b.DropColumn("Name", "Items"); }));
    }

    [Fact]
    public void SM514_fires_on_a_shorter_length_not_on_a_longer_one()
    {
        var narrowing = RunLint(Up(b => b.AlterColumn<string>("Name", "Items", type: "character varying(50)", maxLength: 50, nullable: true, oldClrType: typeof(string), oldType: "character varying(200)", oldMaxLength: 200, oldNullable: true),
            b => b.AlterColumn<string>("Name", "Items", type: "character varying(200)", maxLength: 200, nullable: true, oldClrType: typeof(string), oldType: "character varying(50)", oldMaxLength: 50, oldNullable: true)));
        var finding = Assert.Single(narrowing);
        Assert.Equal("SM514", finding.Code);
        Assert.True(finding.RewritesTable);
        Assert.Empty(UpCodes(b => b.AlterColumn<string>("Name", "Items", type: "character varying(300)", maxLength: 300, nullable: true, oldClrType: typeof(string), oldType: "character varying(200)", oldMaxLength: 200, oldNullable: true)));
    }

    [Fact]
    public void SM515_fires_on_update_and_delete_without_where()
    {
        Assert.Equal(["SM515"], UpCodes(b => b.Sql("UPDATE \"Items\" SET \"Quantity\" = 0;")));
        Assert.Equal(["SM515"], UpCodes(b => b.Sql("delete from items")));
        Assert.Empty(UpCodes(b => b.Sql("UPDATE \"Items\" SET \"Quantity\" = 0 WHERE \"Quantity\" IS NULL;")));
    }

    [Fact]
    public void SM516_fires_on_lock_vacuum_full_cluster_reindex_truncate()
    {
        Assert.Equal(["SM516", "SM516", "SM516", "SM516", "SM516"],
            UpCodes(b => b.Sql("LOCK TABLE \"Items\"; VACUUM FULL \"Items\"; CLUSTER \"Items\" USING \"IX_Items_Name\"; REINDEX TABLE \"Items\"; TRUNCATE \"Items\";")));
        Assert.Empty(UpCodes(b => b.Sql("VACUUM ANALYZE \"Items\"; REINDEX TABLE CONCURRENTLY \"Items\";")));
    }

    [Fact]
    public void SM517_fires_on_locking_ddl_in_sql_not_on_the_safe_forms()
    {
        Assert.Equal(["SM517"], UpCodes(b => b.Sql("CREATE INDEX ix ON \"Items\" (\"Name\");")));
        Assert.Equal(["SM517"], UpCodes(b => b.Sql("ALTER TABLE \"Items\" ADD CONSTRAINT ck CHECK (\"Quantity\" > 0);")));
        Assert.Equal(["SM517"], UpCodes(b => b.Sql("ALTER TABLE \"Items\" ALTER COLUMN \"Name\" SET NOT NULL;")));
        Assert.Equal(["SM517"], UpCodes(b => b.Sql("ALTER TABLE \"Items\" ALTER COLUMN \"Quantity\" TYPE bigint;")));
        Assert.Equal(["SM517"], UpCodes(b => b.Sql("CREATE INDEX CONCURRENTLY ix ON \"Items\" (\"Name\");"))); // inside the transaction: 25001
        Assert.Empty(UpCodes(b => b.Sql("CREATE INDEX CONCURRENTLY ix ON \"Items\" (\"Name\");", suppressTransaction: true)));
        Assert.Empty(UpCodes(b => b.Sql("ALTER TABLE \"Items\" ADD CONSTRAINT ck CHECK (\"Quantity\" > 0) NOT VALID;")));
    }

    [Fact]
    public void SM518_fires_on_a_backfill_next_to_ddl_not_on_a_backfill_alone()
    {
        Assert.Contains("SM518", UpCodes(b => { b.AddColumn<int>("Stock", "Items", nullable: true); b.Sql("UPDATE \"Items\" SET \"Stock\" = 0 WHERE \"Stock\" IS NULL;"); }));
        Assert.Empty(UpCodes(b => b.Sql("UPDATE \"Items\" SET \"Stock\" = 0 WHERE \"Stock\" IS NULL;")));
    }

    [Fact]
    public void SM519_says_when_a_statement_cannot_be_classified()
    {
        var finding = Assert.Single(RunLint(Up(b => b.Sql("DO $$ BEGIN PERFORM 1; END $$;"), b => b.Sql("SELECT 1;"))));
        Assert.Equal("SM519", finding.Code);
        Assert.Contains("DO $$ BEGIN PERFORM 1; END $$", finding.Message);
        Assert.Empty(UpCodes(b => b.Sql("CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; COMMENT ON TABLE \"Items\" IS 'x';")));
    }

    [Fact]
    public void SM520_fires_on_a_concurrent_index_with_other_operations_not_alone()
    {
        Assert.Contains("SM520", UpCodes(b =>
        {
            b.AddColumn<int>("Stock", "Items", nullable: true);
            b.CreateIndex("IX_Items_Stock", "Items", "Stock").Annotation("Npgsql:CreatedConcurrently", true);
        }));
        Assert.Empty(UpCodes(b => b.CreateIndex("IX_Items_Stock", "Items", "Stock").Annotation("Npgsql:CreatedConcurrently", true)));
    }

    [Fact]
    public void SM521_fires_on_an_empty_down_like_btcpay_passkey()
    {
        var findings = RunLint(Up(b =>
        {
            b.AddColumn<DateTimeOffset>("LastUsedAt", "Fido2Credentials", nullable: true);
            b.AddColumn<string>("Name", "Fido2Credentials", nullable: true);
        }));
        var finding = Assert.Single(findings, f => f.Code == "SM521");
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Contains("Down has none", finding.Message);
        Assert.DoesNotContain(findings, f => f.Code == "SM522");
    }

    [Fact]
    public void SM522_fires_when_down_misses_an_inverse_not_when_it_mirrors_up()
    {
        var partial = RunLint(Up(b => { b.AddColumn<int>("A", "Items", nullable: true); b.AddColumn<int>("B", "Items", nullable: true); }, b => b.DropColumn("A", "Items")));
        var finding = Assert.Single(partial, f => f.Code == "SM522");
        Assert.Contains("add column Items.B", finding.Message);
        Assert.Empty(RunLint(Up(b => b.AddColumn<int>("A", "Items", nullable: true), b => b.DropColumn("A", "Items"))));
    }
}
