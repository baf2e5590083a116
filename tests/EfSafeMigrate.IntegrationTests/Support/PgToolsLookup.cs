using EfSafeMigrate.Npgsql.Backups;

namespace EfSafeMigrate.IntegrationTests;

/// <summary>The first program <see cref="PgTools"/> finds, for tests that run pg_dump, pg_restore or psql themselves.</summary>
internal static class PgToolsLookup
{
    /// <summary>The first <paramref name="program"/> in <paramref name="tools"/>' search order, or null when there is none.</summary>
    public static string? Find(this PgTools tools, string program) => tools.FindAll(program).FirstOrDefault();
}
