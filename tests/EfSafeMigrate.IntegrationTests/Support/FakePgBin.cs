namespace EfSafeMigrate.IntegrationTests.Support;

/// <summary>A temporary folder of fake PostgreSQL client programs (shell scripts), for SAFE_MIGRATE_PG_BIN or <c>new PgTools(folder)</c>.</summary>
internal sealed class FakePgBin : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Path => _folder.Path;

    /// <summary>Adds <paramref name="program"/>: prints <c>&lt;program&gt; (PostgreSQL) &lt;version&gt;</c> for --version, otherwise runs <paramref name="body"/>.</summary>
    public FakePgBin Add(string program, string version, string body = "exit 0")
    {
        var path = _folder.Combine(program);
        File.WriteAllText(path, $"""
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo "{program} (PostgreSQL) {version}"; exit 0; fi
            {body}

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return this;
    }

    public void Dispose() => _folder.Dispose();
}
