using Shop.Data;

#nullable disable

namespace Shop.Migrations
{
    /// <summary>Seed rows, as a script migration on the same base class.</summary>
    public partial class SeedCategories : ScriptsMigration
    {
        /// <inheritdoc />
        protected override IReadOnlyList<string> UpScripts => ["""INSERT INTO "Categories" ("Name") VALUES ('Books'), ('Games'), ('Music');"""];

        /// <inheritdoc />
        protected override IReadOnlyList<string> DownScripts => ["""DELETE FROM "Categories" WHERE "Name" IN ('Books', 'Games', 'Music');"""];
    }
}
