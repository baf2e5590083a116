using static EfSafeMigrate.Tests.Lint.LintTestMigrations;

namespace EfSafeMigrate.Tests.Lint;

/// <summary>
/// A required serial column needs no default: PostgreSQL fills every existing row from the column's sequence
/// (<c>ALTER TABLE ... ADD COLUMN c serial NOT NULL</c> succeeds on a table with rows), so it is SM508's rewrite,
/// not SM509's failing statement. Found by the end-to-end catalog (tests/Fixtures/LintRuleCatalog).
/// </summary>
public class RequiredSerialColumnTests
{
    [Theory]
    [InlineData("serial")]
    [InlineData("bigserial")]
    [InlineData("smallserial")]
    public void A_required_serial_column_is_SM508_only(string type)
    {
        Assert.Equal(["SM508"], UpCodes(b => b.AddColumn<long>("Position", "Items", type: type, nullable: false)));
    }
}
