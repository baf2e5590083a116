using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Migrations
{
    /// <summary>
    /// Hand-written slow migration (no designer file): sorts right after
    /// 20261121064229_RenameCustomerName and before 20261121064240_AddUniqueSkuIndex.
    /// Up creates table SlowMarker and then sleeps 3 s, so that tests can interrupt it
    /// (SIGTERM: the table must be rolled back), time it out (--command-timeout 1) or check
    /// that no command timeout cuts it off by default.
    /// </summary>
    [DbContext(typeof(ShopContext))]
    [Migration("20261121064230_SlowStep")]
    public partial class SlowStep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE \"SlowMarker\" (\"Id\" integer PRIMARY KEY);");
            migrationBuilder.Sql("SELECT pg_sleep(3);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE \"SlowMarker\";");
        }
    }
}
