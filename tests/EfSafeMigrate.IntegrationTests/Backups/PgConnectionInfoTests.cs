using EfSafeMigrate.Npgsql.Backups;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Backups;

public sealed class PgConnectionInfoTests
{
    private const string Secret = "S3cret-pw;x";

    [Fact]
    public void Describe_names_database_server_and_user_but_never_the_password()
    {
        var info = new PgConnectionInfo($"Host=127.0.0.1;Port=5432;Database=shop;Username=postgres;Password='{Secret}'");

        Assert.Equal("database \"shop\" on 127.0.0.1:5432 as user \"postgres\"", info.Describe());
        Assert.Equal(info.Describe(), info.ToString());
        Assert.True(info.HasPassword);
        Assert.Null(info.SslMode);
    }

    [Fact]
    public void LibpqEnvironment_carries_connection_and_password_only_in_PGPASSWORD()
    {
        var info = new PgConnectionInfo($"Host=db.example.com;Port=6543;Database=shop;Username=app;Password='{Secret}';SSL Mode=VerifyFull;Timeout=30");

        var env = info.LibpqEnvironment();

        Assert.Equal("db.example.com", env["PGHOST"]);
        Assert.Equal("6543", env["PGPORT"]);
        Assert.Equal("app", env["PGUSER"]);
        Assert.Equal("shop", env["PGDATABASE"]);
        Assert.Equal("verify-full", env["PGSSLMODE"]);
        Assert.Equal("30", env["PGCONNECT_TIMEOUT"]);
        Assert.Equal(Secret, env["PGPASSWORD"]);
        Assert.Equal("other", info.LibpqEnvironment("other")["PGDATABASE"]);
        Assert.DoesNotContain(env, kv => kv.Key != "PGPASSWORD" && kv.Value is not null && kv.Value.Contains(Secret));
    }

    [Fact]
    public void Several_hosts_and_defaults_map_to_libpq_lists()
    {
        var info = new PgConnectionInfo("Host=h1:5433,h2;Username=u");

        Assert.Equal("u", info.Database);
        Assert.Equal("h1,h2", info.LibpqEnvironment()["PGHOST"]);
        Assert.Equal("5433,5432", info.LibpqEnvironment()["PGPORT"]);
        Assert.False(info.LibpqEnvironment().ContainsKey("PGPASSWORD"));
        Assert.False(info.LibpqEnvironment().ContainsKey("PGSSLMODE"));
        Assert.Equal("database \"u\" on h1:5433,h2:5432 as user \"u\"", info.Describe());
    }

    [Fact]
    public void ConnectionStringFor_keeps_credentials_for_another_database()
    {
        var info = new PgConnectionInfo($"Host=127.0.0.1;Database=shop;Username=postgres;Password='{Secret}'");

        var other = new NpgsqlConnectionStringBuilder(info.ConnectionStringFor("postgres", pooling: false));

        Assert.Equal("postgres", other.Database);
        Assert.Equal(Secret, other.Password);
        Assert.Equal("127.0.0.1", other.Host);
        Assert.False(other.Pooling);
    }

    [Fact]
    public void Malformed_connection_string_error_does_not_echo_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new PgConnectionInfo($"Host=x;Password={Secret};Bogus Keyword=1"));
        Assert.DoesNotContain("S3cret", error.Message);
    }

    [Theory]
    [InlineData("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", 15, 18, "15")]
    [InlineData("pg_dump (PostgreSQL) 9.6.0", 9, 6, "9.6")]
    [InlineData("pg_restore (PostgreSQL) 18beta1", 18, 0, "18")]
    public void PgVersion_reads_version_output(string output, int major, int minor, string label)
    {
        var version = PgVersion.ParseVersionOutput(output)!;
        Assert.Equal(new PgVersion(major, minor), version);
        Assert.Equal(label, version.MajorLabel);
    }

    [Fact]
    public void PgVersion_compares_majors_across_the_version_10_change()
    {
        Assert.True(PgVersion.ParseVersionOutput("pg_dump (PostgreSQL) 9.6.0")!.IsOlderMajorThan(PgVersion.FromServerVersionNum(150018)));
        Assert.False(PgVersion.FromServerVersionNum(150018).IsOlderMajorThan(new PgVersion(15, 2)));
        Assert.Equal("9.6", PgVersion.FromServerVersionNum(90624).MajorLabel);
    }
}
