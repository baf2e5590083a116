using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Where and as whom to connect to PostgreSQL, read from an Npgsql connection string; gives the
/// same connection to libpq programs (<c>pg_dump</c>, <c>pg_restore</c>) through their environment
/// variables, and to Npgsql for other databases on the same server.
/// </summary>
/// <remarks>
/// <para>
/// The password reaches libpq programs through <c>PGPASSWORD</c> in the child process's environment,
/// never through its command line. On Linux a process's environment (<c>/proc/&lt;pid&gt;/environ</c>) is
/// readable only by its owner and root, whereas any local user can read its command line. A temporary
/// passfile (<c>PGPASSFILE</c>) was not chosen: it puts the password on disk, where it stays if the tool
/// is killed before deleting it. When the connection string has no password, nothing is set and libpq
/// finds it as Npgsql does (inherited <c>PGPASSWORD</c>, the connection string's <c>Passfile</c>, or
/// <c>~/.pgpass</c>).
/// </para>
/// <para><see cref="Describe"/> and <see cref="ToString"/> never contain the password.</para>
/// </remarks>
internal sealed class PgConnectionInfo
{
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly bool _sslModeGiven;

    /// <summary>Reads an Npgsql connection string (keywords as Npgsql accepts them).</summary>
    /// <exception cref="ArgumentException">The connection string is empty, malformed, or has no host.</exception>
    public PgConnectionInfo(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _builder = new NpgsqlConnectionStringBuilder(connectionString);
            // NpgsqlConnectionStringBuilder reports every known keyword as present; the generic builder only the given ones.
            var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
            _sslModeGiven = given.Keys.Cast<string>()
                .Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), "sslmode", StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // The parser's message may quote the connection string; do not pass it on.
            throw new ArgumentException("The connection string is not a valid Npgsql connection string.", nameof(connectionString));
        }
        if (string.IsNullOrWhiteSpace(_builder.Host))
        {
            throw new ArgumentException("The connection string has no Host.", nameof(connectionString));
        }
        Servers = ParseServers(_builder.Host, _builder.Port);
        Username = NullIfEmpty(_builder.Username)
            ?? NullIfEmpty(Environment.GetEnvironmentVariable("PGUSER"))
            ?? Environment.UserName;
        // Npgsql, like libpq, connects to the database named like the user when none is given.
        Database = NullIfEmpty(_builder.Database) ?? Username;
    }

    /// <summary>The host (name, IP address or Unix socket folder) as written in the connection string; several are comma-separated.</summary>
    public string Host => _builder.Host!;

    /// <summary>The default TCP port of the connection string (5432 unless set).</summary>
    public int Port => _builder.Port;

    /// <summary>Each host of the connection string with its port (a <c>host:port</c> in Host overrides <see cref="Port"/>).</summary>
    public IReadOnlyList<(string Host, int Port)> Servers { get; }

    /// <summary>The database to connect to (the user name when the connection string has none).</summary>
    public string Database { get; }

    /// <summary>The user to connect as (connection string, else <c>PGUSER</c>, else the operating system user).</summary>
    public string Username { get; }

    /// <summary>Whether the connection string carries a password. The password itself is not exposed.</summary>
    public bool HasPassword => !string.IsNullOrEmpty(_builder.Password);

    /// <summary>The SSL mode when the connection string sets one; <c>null</c> otherwise (libpq's and Npgsql's default, <c>prefer</c>).</summary>
    public SslMode? SslMode => _sslModeGiven ? _builder.SslMode : null;

    /// <summary>
    /// Names the connection for messages, without the password:
    /// <c>database "shop" on 127.0.0.1:5432 as user "postgres"</c>.
    /// </summary>
    public string Describe() =>
        $"database \"{Database}\" on {string.Join(",", Servers.Select(s => FormatServer(s.Host, s.Port)))} as user \"{Username}\"";

    /// <summary>Same as <see cref="Describe"/>; never contains the password.</summary>
    public override string ToString() => Describe();

    /// <summary>
    /// The connection string for <paramref name="database"/> on the same server with the same user,
    /// password and other settings (for example the <c>postgres</c> maintenance database).
    /// Contains the password: pass it to Npgsql only, never print it.
    /// </summary>
    /// <param name="database">Target database name.</param>
    /// <param name="pooling">Whether Npgsql may pool the connection; <c>null</c> keeps the original setting.</param>
    public string ConnectionStringFor(string database, bool? pooling = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var builder = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = database };
        if (pooling is { } p)
        {
            builder.Pooling = p;
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// Environment variables that make libpq programs connect as this connection string does, to
    /// <paramref name="database"/> (default: <see cref="Database"/>). Set on the child process only.
    /// </summary>
    /// <remarks>
    /// Sets <c>PGHOST</c>, <c>PGPORT</c>, <c>PGUSER</c>, <c>PGDATABASE</c>, <c>PGCONNECT_TIMEOUT</c> (seconds, the
    /// connection string's Timeout; 0 waits indefinitely), <c>PGAPPNAME</c>; <c>PGSSLMODE</c> when the connection string sets SSL Mode;
    /// <c>PGSSLROOTCERT</c>, <c>PGSSLCERT</c>, <c>PGSSLKEY</c>, <c>PGPASSFILE</c> when it sets the matching
    /// Npgsql keyword; <c>PGPASSWORD</c> when it has a password (see the class remarks). A value of
    /// <c>null</c> means "remove the variable" (<c>PGSERVICE</c> and <c>PGOPTIONS</c>, which could redirect
    /// or change the connection, are removed).
    /// Passing the database through <c>PGDATABASE</c> rather than <c>--dbname</c> matters: libpq reads a
    /// <c>--dbname</c> value containing <c>=</c> or starting with <c>postgresql://</c> as a connection string.
    /// </remarks>
    public IReadOnlyDictionary<string, string?> LibpqEnvironment(string? database = null)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PGHOST"] = string.Join(",", Servers.Select(s => s.Host)),
            ["PGPORT"] = Servers.Select(s => s.Port).Distinct().Count() == 1
                ? Servers[0].Port.ToString(CultureInfo.InvariantCulture)
                : string.Join(",", Servers.Select(s => s.Port.ToString(CultureInfo.InvariantCulture))),
            ["PGUSER"] = Username,
            ["PGDATABASE"] = database ?? Database,
            ["PGCONNECT_TIMEOUT"] = Math.Max(0, _builder.Timeout).ToString(CultureInfo.InvariantCulture),
            ["PGAPPNAME"] = "safe-migrate",
            ["PGSERVICE"] = null,
            ["PGOPTIONS"] = null,
        };
        if (SslMode is { } ssl)
        {
            env["PGSSLMODE"] = ssl switch
            {
                global::Npgsql.SslMode.Disable => "disable",
                global::Npgsql.SslMode.Allow => "allow",
                global::Npgsql.SslMode.Prefer => "prefer",
                global::Npgsql.SslMode.Require => "require",
                global::Npgsql.SslMode.VerifyCA => "verify-ca",
                global::Npgsql.SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            };
        }
        SetIfGiven(env, "PGSSLROOTCERT", _builder.RootCertificate);
        SetIfGiven(env, "PGSSLCERT", _builder.SslCertificate);
        SetIfGiven(env, "PGSSLKEY", _builder.SslKey);
        SetIfGiven(env, "PGPASSFILE", _builder.Passfile);
        SetIfGiven(env, "PGPASSWORD", _builder.Password);
        return env;
    }

    private static void SetIfGiven(Dictionary<string, string?> env, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            env[name] = value;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string FormatServer(string host, int port) =>
        host.StartsWith('/') ? $"{host} (socket, port {port})"
        : host.Contains(':') ? $"[{host}]:{port}"
        : $"{host}:{port}";

    /// <summary>Splits Npgsql's Host (<c>h1,h2:5433,[::1]:5434</c>) into hosts and ports.</summary>
    private static List<(string Host, int Port)> ParseServers(string hosts, int defaultPort)
    {
        var servers = new List<(string, int)>();
        foreach (var raw in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = raw;
            var port = defaultPort;
            if (raw.StartsWith('['))
            {
                var close = raw.IndexOf(']');
                if (close > 0)
                {
                    host = raw[1..close];
                    if (close + 1 < raw.Length && raw[close + 1] == ':' && int.TryParse(raw[(close + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p1))
                    {
                        port = p1;
                    }
                }
            }
            else if (!raw.StartsWith('/') && raw.Count(c => c == ':') == 1)
            {
                var colon = raw.IndexOf(':');
                if (int.TryParse(raw[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p2))
                {
                    host = raw[..colon];
                    port = p2;
                }
            }
            servers.Add((host, port));
        }
        if (servers.Count == 0)
        {
            throw new ArgumentException("The connection string has no Host.");
        }
        return servers;
    }
}
