using EfSafeMigrate.Execution.Internal;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Npgsql.Locking;
using Npgsql;

namespace EfSafeMigrate.Tests.Execution;

/// <summary>The database's own error is what a failed migration reports, unwrapped from EF Core's and Npgsql's exceptions.</summary>
public class DatabaseErrorTests
{
    private static PostgresException LockTimeout() =>
        new("canceling statement due to lock timeout", "ERROR", "ERROR", PgLockContention.LockNotAvailable);

    [Fact]
    public void DatabaseError_unwraps_the_PostgreSQL_error_with_its_SQLSTATE()
    {
        var wrapped = new InvalidOperationException("An error was generated for warning ...", new AggregateException(LockTimeout()));

        Assert.Equal("55P03: canceling statement due to lock timeout", MigrationExecutionException.DatabaseError(wrapped));
    }

    [Fact]
    public void DatabaseError_says_a_client_side_timeout_is_a_timeout_rather_than_a_stream_error()
    {
        var timeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

        var message = MigrationExecutionException.DatabaseError(new InvalidOperationException("outer", timeout));

        Assert.StartsWith("the command timed out", message);
        Assert.Contains("Timeout during reading attempt", message);
    }

    [Fact]
    public void DatabaseError_falls_back_to_the_innermost_database_exception()
    {
        var error = new InvalidOperationException("outer", new NpgsqlException("Connection refused"));

        Assert.Equal("Connection refused", MigrationExecutionException.DatabaseError(error));
    }

    [Fact]
    public void IsLockNotAvailable_is_true_only_for_55P03_anywhere_in_the_chain()
    {
        var contention = new PgLockContention(new NpgsqlConnection(), "Host=127.0.0.1;Username=nobody");

        Assert.True(contention.IsLockNotAvailable(new MigrationExecutionException(new MigrationStep(MigrationAction.Apply, "20240101000000_Initial"), new InvalidOperationException("x", LockTimeout()))));
        Assert.False(contention.IsLockNotAvailable(new PostgresException("deadlock detected", "ERROR", "ERROR", "40P01")));
        Assert.False(contention.IsLockNotAvailable(new TimeoutException()));
    }
}
