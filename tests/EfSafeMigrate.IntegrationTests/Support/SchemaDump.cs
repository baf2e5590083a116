using EfSafeMigrate.Npgsql.Backups;

namespace EfSafeMigrate.IntegrationTests.Support;

/// <summary><c>pg_dump --schema-only</c> of a database, without comments and per-run lines, to compare two databases.</summary>
internal static class SchemaDump
{
    public static async Task<string> OfAsync(string connectionString)
    {
        var tools = new PgTools(binFolder: null);
        var pgDump = tools.Find(PgTools.PgDump) ?? throw new InvalidOperationException("pg_dump not found");
        var info = new PgConnectionInfo(connectionString);
        var result = await tools.RunAsync(pgDump, ["--schema-only", "--no-password"], info.LibpqEnvironment());
        Assert.True(result.Succeeded, result.StandardError);
        var lines = result.StandardOutput.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal)
                        // PostgreSQL 13.22/14.19/15.14/16.10/17.6+ wrap plain dumps in \restrict <random key> ... \unrestrict.
                        && !l.StartsWith("\\restrict", StringComparison.Ordinal)
                        && !l.StartsWith("\\unrestrict", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }
}
