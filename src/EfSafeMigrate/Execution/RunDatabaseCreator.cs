using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Execution;

/// <summary>
/// The database creator EF Core's migrator gets for each step of a run (<see cref="SafeMigrator"/>): the context's own, except
/// that <see cref="Exists()"/> answers true without asking the database once the run knows the database exists. EF Core's
/// migrator asks before every migration (a connection check, <c>SELECT 1</c> on an open connection), and a run of one step per
/// migration would pay that round trip for each; the run creates or finds the database before its first step
/// (<see cref="SafeMigrator.EnsureDatabaseExists"/>) and holds a connection to it throughout, so a database dropped meanwhile
/// fails the next statement (the migration rolls back), never skips it. Everything else is the context's creator.
/// </summary>
internal sealed class RunDatabaseCreator(IRelationalDatabaseCreator inner) : IRelationalDatabaseCreator
{
    /// <summary>Whether the run knows the database exists (set by <see cref="SafeMigrator"/> after its own check).</summary>
    public bool KnownToExist { get; set; }

    /// <inheritdoc />
    public bool Exists() => KnownToExist || inner.Exists();

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => KnownToExist || await inner.ExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public void Create() => inner.Create();

    /// <inheritdoc />
    public Task CreateAsync(CancellationToken cancellationToken = default) => inner.CreateAsync(cancellationToken);

    /// <inheritdoc />
    public void Delete() => inner.Delete();

    /// <inheritdoc />
    public Task DeleteAsync(CancellationToken cancellationToken = default) => inner.DeleteAsync(cancellationToken);

    /// <inheritdoc />
    public bool HasTables() => inner.HasTables();

    /// <inheritdoc />
    public Task<bool> HasTablesAsync(CancellationToken cancellationToken = default) => inner.HasTablesAsync(cancellationToken);

    /// <inheritdoc />
    public void CreateTables() => inner.CreateTables();

    /// <inheritdoc />
    public Task CreateTablesAsync(CancellationToken cancellationToken = default) => inner.CreateTablesAsync(cancellationToken);

    /// <inheritdoc />
    public string GenerateCreateScript() => inner.GenerateCreateScript();

    /// <inheritdoc />
    public bool EnsureDeleted() => inner.EnsureDeleted();

    /// <inheritdoc />
    public Task<bool> EnsureDeletedAsync(CancellationToken cancellationToken = default) => inner.EnsureDeletedAsync(cancellationToken);

    /// <inheritdoc />
    public bool EnsureCreated() => inner.EnsureCreated();

    /// <inheritdoc />
    public Task<bool> EnsureCreatedAsync(CancellationToken cancellationToken = default) => inner.EnsureCreatedAsync(cancellationToken);

    /// <inheritdoc />
    public bool CanConnect() => inner.CanConnect();

    /// <inheritdoc />
    public Task<bool> CanConnectAsync(CancellationToken cancellationToken = default) => inner.CanConnectAsync(cancellationToken);
}
