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

    /// <param name="elsewhere">
    /// Start with <c>THROWAWAY_PG_BASE</c> naming a folder of the test's own (build/test.sh names the memory file
    /// system), instead of without it. Stop runs without the variable either way: it finds the cluster through
    /// <c>DIR/cluster</c>.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Starts_and_stops_from_a_clone_in_a_private_folder(bool elsewhere)
    {
        var privateFolder = Directory.CreateTempSubdirectory("safe-migrate-private-");
        var baseFolder = elsewhere ? Directory.CreateTempSubdirectory("safe-migrate-base-").FullName : null;
        try
        {
            if (baseFolder is not null)
            {
                // Like /tmp or /dev/shm: anyone may create a folder there (the server's user makes its cluster folder).
                File.SetUnixFileMode(baseFolder, (UnixFileMode)Convert.ToInt32("1777", 8));
            }

            File.SetUnixFileMode(privateFolder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var clone = Path.Combine(privateFolder.FullName, "repo");
            AssertSucceeded(Run("git", ["clone", "--quiet", RepoPaths.Root, clone], RepoPaths.Root));
            // The clone's script is the working tree's, so that an uncommitted change is what is tested.
            File.Copy(Path.Combine(RepoPaths.Root, "tools", "throwaway-postgres.sh"), Path.Combine(clone, "tools", "throwaway-postgres.sh"), overwrite: true);
            var dir = Path.Combine(clone, ".tmp", "pg");

            var start = Run("bash", ["tools/throwaway-postgres.sh", "start", dir], clone, baseFolder);
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
                    Assert.Equal(Path.Combine(ClusterFolderOf(dir, baseFolder), "data"), dataDirectory);
                }

                Assert.True(File.Exists(Path.Combine(dir, "server.log")), "the server's log is readable from the caller's folder");
            }
            finally
            {
                var stop = Run("bash", ["tools/throwaway-postgres.sh", "stop", dir], clone, baseFolder: null);
                AssertSucceeded(stop);
            }

            var cluster = ClusterFolderOf(dir, baseFolder);
            Assert.Contains("database system is ready to accept connections", File.ReadAllText(Path.Combine(dir, "server.log")));
            Assert.False(Directory.Exists(cluster), $"stop removes the cluster folder {cluster}");
            Assert.False(File.Exists(Path.Combine(dir, "connection-string")), "stop removes the connection string (it holds the password)");
            using var after = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=3");
            Assert.ThrowsAny<NpgsqlException>(() => after.Open());
        }
        finally
        {
            privateFolder.Delete(recursive: true);
            if (baseFolder is not null)
            {
                Directory.Delete(baseFolder, recursive: true);
            }
        }
    }

    /// <summary>
    /// The script's folder for DIR's cluster: &lt;base&gt;/safe-migrate-pg-&lt;first 16 hex digits of SHA-256(DIR)&gt;, where
    /// the base is <c>THROWAWAY_PG_BASE</c> when set, else /tmp (or <c>TMPDIR</c> when not root).
    /// </summary>
    private static string ClusterFolderOf(string dir, string? baseFolder)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dir)));
        var root = baseFolder ?? (Environment.UserName == "root" ? "/tmp" : Environment.GetEnvironmentVariable("TMPDIR") ?? "/tmp");
        return Path.Combine(root, "safe-migrate-pg-" + hash[..16]);
    }

    private static void AssertSucceeded(ProcessResult result) => Assert.True(result.ExitCode == 0, result.Describe());

    /// <summary>Runs the script with <c>THROWAWAY_PG_BASE</c> set to <paramref name="baseFolder"/>, or removed when null.</summary>
    private ProcessResult Run(string file, string[] arguments, string workingDirectory, string? baseFolder = null)
    {
        var result = RunningProcess.Run(
            file, arguments, workingDirectory, ScriptTimeout, new Dictionary<string, string?> { ["THROWAWAY_PG_BASE"] = baseFolder });
        output.WriteLine(RunningProcess.MaskPasswords(result.Describe()));
        return result;
    }
}
