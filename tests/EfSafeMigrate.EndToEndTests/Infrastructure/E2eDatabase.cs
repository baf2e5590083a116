using EfSafeMigrate.Testing;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// A fresh database on the test server (<see cref="TestDatabase"/> on <see cref="PostgresServer"/>), dropped on dispose;
/// or a handle on a database someone else creates (the target of <c>backup restore --into</c>), dropped on dispose.
/// </summary>
public sealed class E2eDatabase : IDisposable
{
    private readonly TestDatabase? _database;

    private E2eDatabase(TestDatabase? database, string name)
    {
        _database = database;
        Name = name;
        ConnectionString = PostgresServer.Instance.ConnectionStringFor(name);
    }

    public string Name { get; }

    /// <summary>Unpooled connection string of the database; contains the password.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's maintenance database connection string.</summary>
    public static string ServerConnectionString => PostgresServer.Instance.ConnectionString;

    public static E2eDatabase Create()
    {
        var database = TestDatabase.Create("e2e");
        return new E2eDatabase(database, database.Name);
    }

    /// <summary>A fresh name, not created: the tool is to create it.</summary>
    public static E2eDatabase Adopt(string? name = null) => new(null, name ?? TestDatabase.NewName("e2e_restored"));

    public void Dispose()
    {
        if (_database is not null)
        {
            _database.Dispose();
        }
        else
        {
            PostgresServer.Instance.DropDatabaseAsync(Name).GetAwaiter().GetResult();
        }
    }
}
