using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// <c>tools/throwaway-postgres.sh</c>, which both README commands use, run from a clone of the repository inside a
/// folder of mode 0700 (as a clone under <c>/root</c> or in a <c>mktemp -d</c> folder is). As root, the server runs
/// as the <c>postgres</c> user, who cannot enter such a folder: the cluster must live elsewhere.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ThrowawayPostgresTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void Starts_and_stops_from_a_clone_in_a_private_folder()
    {
        var privateFolder = Directory.CreateTempSubdirectory("safe-migrate-private-");
        try
        {
            File.SetUnixFileMode(privateFolder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var clone = Path.Combine(privateFolder.FullName, "repo");
            AssertSucceeded(Run("git", ["clone", "--quiet", RepoPaths.Root, clone], RepoPaths.Root));
            // The clone's script is the working tree's, so that an uncommitted change is what is tested.
            File.Copy(Path.Combine(RepoPaths.Root, "tools", "throwaway-postgres.sh"), Path.Combine(clone, "tools", "throwaway-postgres.sh"), overwrite: true);
            var dir = Path.Combine(clone, ".tmp", "pg");

            var start = Run("bash", ["tools/throwaway-postgres.sh", "start", dir], clone);
            string? connectionString = null;
            try
            {
                AssertSucceeded(start);
                connectionString = start.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
                Assert.StartsWith("Host=127.0.0.1;Port=", connectionString, StringComparison.Ordinal);
                Assert.Equal(connectionString, File.ReadAllText(Path.Combine(dir, "connection-string")).Trim());
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "connection-string")));

                using (var connection = new NpgsqlConnection(connectionString + ";Pooling=false"))
                {
                    connection.Open();
                    using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
                    var dataDirectory = (string)command.ExecuteScalar()!;
                    Assert.Equal(Path.Combine(ClusterFolderOf(dir), "data"), dataDirectory);
                }

                Assert.True(File.Exists(Path.Combine(dir, "server.log")), "the server's log is readable from the caller's folder");
            }
            finally
            {
                var stop = Run("bash", ["tools/throwaway-postgres.sh", "stop", dir], clone);
                AssertSucceeded(stop);
            }

            var cluster = ClusterFolderOf(dir);
            Assert.Contains("database system is ready to accept connections", File.ReadAllText(Path.Combine(dir, "server.log")));
            Assert.False(Directory.Exists(cluster), $"stop removes the cluster folder {cluster}");
            Assert.False(File.Exists(Path.Combine(dir, "connection-string")), "stop removes the connection string (it holds the password)");
            using var after = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=3");
            Assert.ThrowsAny<NpgsqlException>(() => after.Open());
        }
        finally
        {
            privateFolder.Delete(recursive: true);
        }
    }

    /// <summary>The script's folder for DIR's cluster: /tmp/safe-migrate-pg-&lt;first 16 hex digits of SHA-256(DIR)&gt;.</summary>
    private static string ClusterFolderOf(string dir)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dir)));
        var root = Environment.UserName == "root" ? "/tmp" : Environment.GetEnvironmentVariable("TMPDIR") ?? "/tmp";
        return Path.Combine(root, "safe-migrate-pg-" + hash[..16]);
    }

    private static void AssertSucceeded(ProcessResult result) => Assert.True(result.ExitCode == 0, result.Describe());

    private ProcessResult Run(string file, string[] arguments, string workingDirectory)
    {
        var result = RunningProcess.Run(file, arguments, workingDirectory, ScriptTimeout);
        output.WriteLine(RunningProcess.MaskPasswords(result.Describe()));
        return result;
    }
}
