namespace EfSafeMigrate.Schema;

/// <summary>
/// A database server on which throwaway databases can be created, copied, read and dropped
/// (provider-specific; PostgreSQL: <c>CREATE DATABASE ... TEMPLATE</c>, the system catalogs).
/// Used to prove that two ways of migrating give the same schema.
/// </summary>
internal interface IScratchDatabaseServer
{
    /// <summary>The server, for messages, without a password (e.g. <c>127.0.0.1:5432 as user "postgres"</c>).</summary>
    string Describe();

    /// <summary>Creates an empty database and returns its connection string (unpooled, so that it can be dropped or copied right after use).</summary>
    /// <param name="name">The database name (at most 63 bytes on PostgreSQL).</param>
    /// <exception cref="Exception">The server refused (no privilege to create databases, name taken, cannot connect).</exception>
    string Create(string name);

    /// <summary>Creates a database as a copy of another (which no session may be using) and returns its connection string.</summary>
    string Copy(string source, string name);

    /// <summary>Drops the database if it exists, ending sessions still connected to it.</summary>
    void Drop(string name);

    /// <summary>
    /// Reads the catalog of a database (user schemas only; objects of extensions and the tables named
    /// in <paramref name="ignoredTables"/> — history and journal tables — with their indexes,
    /// constraints and sequences, left out).
    /// </summary>
    SchemaCatalog ReadCatalog(string connectionString, IReadOnlyCollection<string> ignoredTables);

    /// <summary>
    /// Reads the catalog of the database of an open connection of this server's provider (as
    /// <see cref="ReadCatalog(string, IReadOnlyCollection{string})"/>), in that session: no new session is opened.
    /// </summary>
    /// <exception cref="ArgumentException">The connection is not of this server's provider.</exception>
    SchemaCatalog ReadCatalog(System.Data.Common.DbConnection openConnection, IReadOnlyCollection<string> ignoredTables);
}
