using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>
/// How <see cref="PgTools"/> finds the client programs and reads their versions: Debian's <c>pg_wrapper</c> links are
/// left out when the real programs are found, and a program's <c>--version</c> runs once while its file is unchanged.
/// Changes PATH and SAFE_MIGRATE_PG_BIN of the process.
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class PgToolsSearchTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string? _path = Environment.GetEnvironmentVariable("PATH");
    private readonly string? _binFolder = Environment.GetEnvironmentVariable(PgTools.BinFolderVariable);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PATH", _path);
        Environment.SetEnvironmentVariable(PgTools.BinFolderVariable, _binFolder);
        _temp.Dispose();
    }

    [Fact]
    public void A_link_to_Debians_pg_wrapper_is_left_out_when_the_search_finds_the_real_program()
    {
        // Debian's layout: /usr/bin/pg_dump -> ../share/postgresql-common/pg_wrapper, the real one further on.
        var wrapperBin = Directory.CreateDirectory(_temp.Combine("usr", "bin")).FullName;
        var common = Directory.CreateDirectory(_temp.Combine("usr", "share", "postgresql-common")).FullName;
        File.WriteAllText(Path.Combine(common, "pg_wrapper"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 99.0'\n");
        File.SetUnixFileMode(Path.Combine(common, "pg_wrapper"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(wrapperBin, "pg_dump"), "../share/postgresql-common/pg_wrapper");
        using var real = new FakePgBin();
        real.Add("pg_dump", "16.1");
        Environment.SetEnvironmentVariable(PgTools.BinFolderVariable, null);
        Environment.SetEnvironmentVariable("PATH", wrapperBin + Path.PathSeparator + real.Path);

        var found = new PgTools().FindAll(PgTools.PgDump);

        Assert.Equal(Path.Combine(real.Path, "pg_dump"), found[0]);
        Assert.DoesNotContain(Path.Combine(wrapperBin, "pg_dump"), found);
    }

    [Fact]
    public void SAFE_MIGRATE_PG_BIN_keeps_a_pg_wrapper_link_it_names()
    {
        var bin = Directory.CreateDirectory(_temp.Combine("bin")).FullName;
        File.WriteAllText(_temp.Combine("pg_wrapper"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 16.1'\n");
        File.SetUnixFileMode(_temp.Combine("pg_wrapper"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(bin, "pg_dump"), "../pg_wrapper");

        Assert.Equal([Path.Combine(bin, "pg_dump")], new PgTools(bin).FindAll(PgTools.PgDump));
    }

    [Fact]
    public async Task A_programs_version_is_read_once_while_its_file_is_unchanged()
    {
        var runs = _temp.Combine("runs");
        var program = _temp.Combine("pg_dump");
        void Write(string version)
        {
            File.WriteAllText(program, $"#!/bin/sh\necho run >> '{runs}'\necho 'pg_dump (PostgreSQL) {version}'\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Write("16.1");
        var tools = new PgTools(_temp.Path);

        var first = await tools.GetVersionAsync(program);
        var second = await new PgTools(_temp.Path).GetVersionAsync(program);

        Assert.Equal("16.1", first.ToString());
        Assert.Equal(first, second);
        Assert.Single(File.ReadAllLines(runs));

        Write("17.20"); // another length: the file changed
        var third = await tools.GetVersionAsync(program);

        Assert.Equal("17.20", third.ToString());
        Assert.Equal(2, File.ReadAllLines(runs).Length);
    }
}
