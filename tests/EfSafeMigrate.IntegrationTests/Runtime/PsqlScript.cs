using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>Runs a SQL script on a test database as a deployment would: <c>psql -X -q -v ON_ERROR_STOP=1 -f FILE</c>.</summary>
internal static class PsqlScript
{
    /// <summary>Writes the script to a temporary file and runs it; the file is deleted afterwards.</summary>
    /// <returns>psql's exit code and output (a non-zero exit code is not an exception).</returns>
    public static async Task<PgProcessResult> RunAsync(TestDatabase database, string script)
    {
        var tools = new PgTools(binFolder: null);
        var psql = tools.Find("psql") ?? throw new InvalidOperationException($"psql was not found {tools.DescribeSearch()}.");
        var file = Path.Combine(Path.GetTempPath(), $"safe-migrate-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var environment = new PgConnectionInfo(database.ConnectionString).LibpqEnvironment();
            return await tools.RunAsync(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], environment);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs the script and fails the test, with psql's output, unless psql exits 0.</summary>
    public static async Task RunSucceedingAsync(TestDatabase database, string script)
    {
        var result = await RunAsync(database, script);
        Assert.True(result.Succeeded, $"psql exited {result.ExitCode}: {result.StandardError}");
    }
}
